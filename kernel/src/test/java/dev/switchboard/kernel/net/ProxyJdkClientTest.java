package dev.switchboard.kernel.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Interoperability with a mainstream client: the JDK's HttpClient over HTTP/1.1, through the proxy. */
class ProxyJdkClientTest {

    @Test
    void jdkHttpClientGetsAndPostsThroughTheProxyOnOneConnection() throws Exception {
        try (TestBackend a = new TestBackend("a"); ProxyHarness p = new ProxyHarness()) {
            p.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("ba", a.upstream())));
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            URI base = URI.create("http://127.0.0.1:" + p.address().getPort());
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> get = client.send(HttpRequest.newBuilder(base.resolve("/get/" + i)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, get.statusCode());
                assertTrue(get.body().contains("GET /get/" + i + " HTTP/1.1"), get.body());
                HttpResponse<String> post = client.send(HttpRequest.newBuilder(base.resolve("/post"))
                        .POST(HttpRequest.BodyPublishers.ofString("payload-" + i)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, post.statusCode());
                assertTrue(post.body().endsWith("payload-" + i), post.body());
            }
            assertEquals(1, a.accepts.get(), "one upstream connection carried all ten requests");
        }
    }
}
