package dev.switchboard.kernel.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 9112 strictness end to end over real sockets: each malformed request gets its status and a closed connection,
 * the server never sees it, and the proxy still answers the next client. Request-smuggling payloads (CL.TE, TE.CL,
 * TE.TE obfuscations): the server sees exactly the requests the client meant.
 */
class ProxyStrictnessTest {
    private static TestBackend backend;
    private static ProxyHarness proxy;

    @BeforeAll
    static void start() throws Exception {
        backend = new TestBackend("a");
        proxy = new ProxyHarness();
        proxy.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("ba", backend.upstream())));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        backend.close();
    }

    @BeforeEach
    void clear() {
        backend.received.clear();
        backend.arrivals.clear();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("dev.switchboard.kernel.net.MalformedRequests#cases")
    void malformedRequestIsRefusedAndTheConnectionClosed(String name, int status, String request) throws Exception {
        try (TestClient c = proxy.client()) {
            c.send(request);
            TestClient.Response r = c.read();
            assertEquals(status, r.status(), name);
            assertEquals("close", r.header("Connection"));
            assertTrue(c.closedByPeer(), "connection closed after " + name);
        }
        assertEquals(List.of(), backend.received, "the server saw nothing");
        try (TestClient c = proxy.client()) {
            assertEquals(200, c.get("/health", "x").status(), "the proxy still serves");
        }
    }

    @Test
    void chunkedBodyThatLooksLikeASecondRequestReachesTheServerAsOneBody() throws Exception {
        String inner = "0\r\n\r\nGET /admin HTTP/1.1\r\nHost: x\r\n\r\n";
        try (TestClient c = proxy.client()) {
            c.send("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(inner.length()) + "\r\n" + inner + "\r\n0\r\n\r\n");
            assertEquals(200, c.read().status());
            assertEquals(200, c.get("/next", "x").status());
        }
        assertEquals(2, backend.received.size());
        assertEquals("/upload", backend.received.get(0).target());
        assertEquals(inner, backend.received.get(0).bodyText());
        assertEquals("/next", backend.received.get(1).target());
    }

    @Test
    void requestPipelinedAfterAChunkedBodyIsAnsweredAsItsOwnRequest() throws Exception {
        try (TestClient c = proxy.client()) {
            c.send("POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
                    + "GET /b HTTP/1.1\r\nHost: x\r\n\r\n");
            TestClient.Response first = c.read();
            TestClient.Response second = c.read();
            assertTrue(first.bodyText().contains("POST /a "), first.bodyText());
            assertTrue(second.bodyText().contains("GET /b "), second.bodyText());
        }
        assertEquals(List.of("/a", "/b"), backend.received.stream().map(TestBackend.Received::target).toList());
        assertEquals("abc", backend.received.get(0).bodyText());
    }

    @Test
    void contentLengthBodyIsNotReadAsARequest() throws Exception {
        String body = "GET /admin HTTP/1.1\r\nHost: x\r\n\r\n";
        try (TestClient c = proxy.client()) {
            c.send("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
            assertEquals(200, c.read().status());
        }
        assertEquals(1, backend.received.size());
        assertEquals(body, backend.received.get(0).bodyText());
    }

    @Test
    void malformedResponseGets502AndItsConnectionIsNotReused() throws Exception {
        TestBackend.Handler bad = (req, out, s) -> {
            if (req.target().equals("/bad")) {
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                return true;
            }
            TestBackend.writeResponse(out, 200, "OK", "fine".getBytes(StandardCharsets.ISO_8859_1));
            return true;
        };
        try (TestBackend b = new TestBackend("bad", bad); ProxyHarness p = new ProxyHarness();
             TestClient c = p.client()) {
            StubRouter.Backend route = new StubRouter.Backend("bb", b.upstream());
            p.router.add(null, "/", StubRouter.frontend("f", route));
            assertEquals(502, c.get("/bad", "x").status());
            TestClient.Response next = c.get("/good", "x");
            assertEquals("fine", next.bodyText());
            assertEquals(2, b.accepts.get(), "the connection that carried the malformed response was discarded");
            assertEquals(List.of(502, 200), route.statuses());
        }
    }

    @Test
    void serverSendingMoreThanItsContentLengthDoesNotPoisonTheNextResponse() throws Exception {
        TestBackend.Handler liar = (req, out, s) -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nforged"
                    .getBytes(StandardCharsets.ISO_8859_1));
            return true;
        };
        try (TestBackend b = new TestBackend("liar", liar); ProxyHarness p = new ProxyHarness();
             TestClient c = p.client()) {
            p.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("bb", b.upstream())));
            assertEquals("ok", c.get("/1", "x").bodyText());
            assertEquals("ok", c.get("/2", "x").bodyText(), "the extra bytes were not taken as the next response");
        }
    }
}
