package dev.switchboard.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The unpacked distribution routing real requests to real backends: one proxy process for the whole class, started
 * from {@code bin/switchboard} on a configuration written from a template, stopped with SIGTERM at the end (which
 * must be graceful, exit 0).
 */
@Timeout(120)
class RoutingIT {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private static final Map<String, TestBackend> BACKENDS = new HashMap<>();
    private static SwitchboardProcess proxy;
    private static int port;
    private static int deadPort;

    @BeforeAll
    static void startProxyAndBackends() throws IOException {
        for (String name : new String[] {"alpha", "beta", "exact", "prefix", "heavy", "light", "reuse", "passhost"}) {
            BACKENDS.put(name, TestBackend.start(name));
        }
        port = TestBackend.freePort();
        deadPort = TestBackend.freePort();
        Path config = ConfigFile.write("routing.toml", """
                logLevel = "INFO"
                defaultEntryPoints = ["http"]
                # Fixed, so that the bound on server connections (one pool per loop) does not depend on the machine.
                eventLoops = 2

                [entryPoints]
                  [entryPoints.http]
                  address = "127.0.0.1:%d"

                [file]

                [frontends]
                  [frontends.alpha]
                  backend = "alpha"
                    [frontends.alpha.routes.host]
                    rule = "Host:alpha.test"
                  [frontends.beta]
                  backend = "beta"
                    [frontends.beta.routes.host]
                    rule = "Host:beta.test,beta-alias.test"
                  [frontends.exact]
                  backend = "exact"
                    [frontends.exact.routes.path]
                    rule = "Host:paths.test;Path:/exact"
                  [frontends.prefix]
                  backend = "prefix"
                    [frontends.prefix.routes.path]
                    rule = "Host:paths.test;PathPrefix:/prefix"
                  [frontends.weighted]
                  backend = "weighted"
                    [frontends.weighted.routes.host]
                    rule = "Host:weighted.test"
                  [frontends.reuse]
                  backend = "reuse"
                    [frontends.reuse.routes.host]
                    rule = "Host:reuse.test"
                  [frontends.dead]
                  backend = "dead"
                    [frontends.dead.routes.host]
                    rule = "Host:dead.test"
                  [frontends.passhost]
                  backend = "passhost"
                  passHostHeader = true
                    [frontends.passhost.routes.host]
                    rule = "Host:passhost.test"

                [backends]
                  [backends.alpha.servers.one]
                  url = "%s"
                  [backends.beta.servers.one]
                  url = "%s"
                  [backends.exact.servers.one]
                  url = "%s"
                  [backends.prefix.servers.one]
                  url = "%s"
                  [backends.weighted]
                    [backends.weighted.loadBalancer]
                    method = "wrr"
                    [backends.weighted.servers.heavy]
                    url = "%s"
                    weight = 3
                    [backends.weighted.servers.light]
                    url = "%s"
                    weight = 1
                  [backends.reuse.servers.one]
                  url = "%s"
                  [backends.dead.servers.nobody]
                  url = "http://127.0.0.1:%d"
                  [backends.passhost.servers.one]
                  url = "%s"
                """.formatted(port, url("alpha"), url("beta"), url("exact"), url("prefix"), url("heavy"),
                url("light"), url("reuse"), deadPort, url("passhost")));

        proxy = SwitchboardProcess.of(Distribution.shared()).start("-c", config.toString());
        proxy.awaitResponse(port, "alpha.test", "/", 200, START_TIMEOUT);
        Report.line("start-up to first served request (routing configuration, JAVA_OPTS=-Xmx256m "
                + "-XX:+UseSerialGC): " + proxy.sinceStart().toMillis() + " ms");
    }

    @AfterAll
    static void stopProxyGracefully() {
        try {
            if (proxy != null) {
                proxy.terminate();
            }
        } finally {
            if (proxy != null) {
                proxy.close();
            }
            BACKENDS.values().forEach(TestBackend::close);
        }
    }

    @Test
    void hostRuleRoutesEachHostToItsBackend() throws IOException {
        assertRoutedTo("alpha", HttpConnection.get(port, "alpha.test", "/"));
        assertRoutedTo("beta", HttpConnection.get(port, "beta.test", "/"));
        assertRoutedTo("beta", HttpConnection.get(port, "beta-alias.test", "/any/path?q=1"));
    }

    @Test
    void hostRuleIgnoresCaseAndPortOfTheHostField() throws IOException {
        assertRoutedTo("alpha", HttpConnection.get(port, "ALPHA.Test:" + port, "/"));
    }

    @Test
    void pathRuleMatchesOnlyTheExactPath() throws IOException {
        HttpConnection.Response exact = HttpConnection.get(port, "paths.test", "/exact");
        assertRoutedTo("exact", exact);
        assertTrue(exact.text().contains("GET /exact\n"), "the server must receive the path as sent: " + exact);
        assertEquals(404, HttpConnection.get(port, "paths.test", "/exactly").status());
    }

    @Test
    void pathPrefixRuleMatchesEveryPathBelowThePrefix() throws IOException {
        HttpConnection.Response response = HttpConnection.get(port, "paths.test", "/prefix/a/b?x=1");
        assertRoutedTo("prefix", response);
        assertTrue(response.text().contains("GET /prefix/a/b?x=1\n"), "path and query forwarded: " + response);
        assertRoutedTo("prefix", HttpConnection.get(port, "paths.test", "/prefix"));
    }

    @Test
    void requestMatchingNoFrontendIsAnswered404() throws IOException {
        assertEquals(404, HttpConnection.get(port, "nobody.test", "/").status());
        assertEquals(404, HttpConnection.get(port, "paths.test", "/elsewhere").status());
    }

    @Test
    void serverNobodyListensOnIsAnswered502AndTheProxyKeepsServing() throws IOException {
        assertEquals(502, HttpConnection.get(port, "dead.test", "/").status());
        try (HttpConnection connection = HttpConnection.open(port)) {
            assertEquals(502, connection.get("dead.test", "/again").status());
            assertRoutedTo("alpha", connection.get("alpha.test", "/"));
        }
    }

    @Test
    void weightsThreeToOneSplitFourHundredRequestsThreeHundredToOneHundred() throws IOException {
        int requests = 400;
        Map<String, Integer> counts = new HashMap<>();
        try (HttpConnection connection = HttpConnection.open(port)) {
            for (int i = 0; i < requests; i++) {
                HttpConnection.Response response = connection.get("weighted.test", "/w/" + i);
                assertEquals(200, response.status(), "request " + i + ": " + response);
                counts.merge(response.firstLine(), 1, Integer::sum);
            }
        }
        Report.line("wrr 3:1 over " + requests + " requests: " + counts);
        assertEquals(Set.of("heavy", "light"), counts.keySet(), "only the weighted backend's servers: " + counts);
        // wrr is exact over each full cycle of the weights (3 + 1): 100 cycles, whatever the starting point.
        assertTrue(Math.abs(counts.get("heavy") - 300) <= 4, "heavy (weight 3) should get 300 of 400: " + counts);
        assertEquals(requests, counts.get("heavy") + counts.get("light"));
    }

    @Test
    void clientConnectionIsKeptAliveAcrossManyRequests() throws IOException {
        try (HttpConnection connection = HttpConnection.open(port)) {
            int localPort = connection.localPort();
            for (int i = 0; i < 25; i++) {
                HttpConnection.Response response = connection.get(i % 2 == 0 ? "alpha.test" : "beta.test", "/" + i);
                assertEquals(200, response.status(), "request " + i + " on the same connection: " + response);
                assertTrue(response.header("connection") == null
                        || !response.header("connection").equalsIgnoreCase("close"),
                        "HTTP/1.1 stays open unless asked: " + response.headers());
            }
            assertEquals(localPort, connection.localPort());
            assertTrue(!connection.peerClosed(200), "the proxy must keep the idle connection open");
        }
    }

    @Test
    void serverConnectionsAreReusedAcrossRequests() throws IOException {
        TestBackend reuse = BACKENDS.get("reuse");
        int requests = 30;
        int before = reuse.connections();
        try (HttpConnection connection = HttpConnection.open(port)) {
            for (int i = 0; i < requests; i++) {
                assertRoutedTo("reuse", connection.get("reuse.test", "/r/" + i));
            }
        }
        for (int i = 0; i < 10; i++) {
            assertRoutedTo("reuse", HttpConnection.get(port, "reuse.test", "/fresh-client/" + i));
        }
        int opened = reuse.connections() - before;
        Report.line("keep-alive to servers: " + (requests + 10) + " requests reached the server over " + opened
                + " connection(s)");
        // Upstream pools are per event loop (2 here): sequential requests need at most one connection per loop.
        assertTrue(opened >= 1 && opened <= 4,
                "40 sequential requests should reuse kept-alive server connections, opened " + opened);
    }

    @Test
    void requestBodyWithContentLengthIsForwardedWhole() throws IOException {
        byte[] body = new byte[200_000];
        Arrays.fill(body, (byte) 'x');
        try (HttpConnection connection = HttpConnection.open(port)) {
            HttpConnection.Response response = connection.send("POST", "/upload",
                    Map.of("Host", "alpha.test", "Content-Type", "application/octet-stream"), body);
            assertRoutedTo("alpha", response);
            assertTrue(response.text().contains("body: 200000 bytes"), response.toString());
            assertRoutedTo("alpha", connection.get("alpha.test", "/after-body"));
        }
    }

    @Test
    void chunkedRequestBodyIsForwardedWhole() throws IOException {
        ByteArrayOutputStream chunked = new ByteArrayOutputStream();
        int total = 0;
        for (int size : new int[] {1, 100, 4096, 30_000}) {
            chunked.writeBytes((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            chunked.writeBytes("y".repeat(size).getBytes(StandardCharsets.US_ASCII));
            chunked.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            total += size;
        }
        chunked.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        try (HttpConnection connection = HttpConnection.open(port)) {
            HttpConnection.Response response = connection.sendRaw("POST",
                    ("POST /chunks HTTP/1.1\r\nHost: beta.test\r\nTransfer-Encoding: chunked\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII), chunked.toByteArray());
            assertRoutedTo("beta", response);
            assertTrue(response.text().contains("body: " + total + " bytes"), response.toString());
            assertRoutedTo("beta", connection.get("beta.test", "/after-chunks"));
        }
    }

    @Test
    void passHostHeaderDefaultsToFalseSoTheServerSeesItsOwnAddress() throws IOException {
        HttpConnection.Response rewritten = HttpConnection.get(port, "alpha.test", "/host");
        assertTrue(rewritten.text().contains("host: 127.0.0.1:" + BACKENDS.get("alpha").port() + "\n"),
                "file provider default passHostHeader = false (Traefik v1): " + rewritten);
        HttpConnection.Response passed = HttpConnection.get(port, "passhost.test", "/host");
        assertTrue(passed.text().contains("host: passhost.test\n"), "passHostHeader = true: " + passed);
    }

    @Test
    void concurrentClientsAreAllServed() throws Exception {
        int clients = 8;
        Set<String> failures = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Thread[] threads = new Thread[clients];
        for (int c = 0; c < clients; c++) {
            int client = c;
            threads[c] = new Thread(() -> {
                try (HttpConnection connection = HttpConnection.open(port)) {
                    for (int i = 0; i < 25; i++) {
                        HttpConnection.Response response = connection.get("beta.test", "/c" + client + "/" + i);
                        if (response.status() != 200 || !response.firstLine().equals("beta")) {
                            failures.add("client " + client + " request " + i + ": " + response);
                        }
                    }
                } catch (IOException e) {
                    failures.add("client " + client + ": " + e);
                }
            });
            threads[c].start();
        }
        for (Thread thread : threads) {
            thread.join(60_000);
        }
        assertEquals(new HashSet<>(), failures);
    }

    private static String url(String backend) {
        return BACKENDS.get(backend).url();
    }

    private static void assertRoutedTo(String backend, HttpConnection.Response response) {
        assertEquals(200, response.status(), "expected the answer of " + backend + ", got " + response);
        assertEquals(backend, response.firstLine(), "routed to the wrong backend: " + response);
    }
}
