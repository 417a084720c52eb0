package dev.switchboard.kernel.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.kernel.routing.Upstream;
import dev.switchboard.spi.match.Modifier;
import dev.switchboard.spi.match.RequestRewrite;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** End to end over real loopback sockets: routing, keep-alive on both sides, bodies, errors, forwarded fields. */
class ProxyForwardingTest {

    @Test
    void requestsAreRoutedByHostToTheChosenBackend() throws Exception {
        try (TestBackend a = new TestBackend("a"); TestBackend b = new TestBackend("b");
             ProxyHarness proxy = new ProxyHarness()) {
            proxy.router.add("a.local", "/", StubRouter.frontend("fa", new StubRouter.Backend("ba", a.upstream())));
            proxy.router.add("b.local", "/", StubRouter.frontend("fb", new StubRouter.Backend("bb", b.upstream())));
            try (TestClient c = proxy.client()) {
                TestClient.Response ra = c.get("/x?y=1", "A.local:80");
                assertEquals(200, ra.status());
                assertTrue(ra.bodyText().startsWith("backend=a\nGET /x?y=1 HTTP/1.1\n"), ra.bodyText());
                TestClient.Response rb = c.get("/", "b.local");
                assertTrue(rb.bodyText().startsWith("backend=b\n"), rb.bodyText());
            }
        }
    }

    @Test
    void exactHeadsAreWrittenOnBothSides() throws Exception {
        TestBackend.Handler fixed = (req, out, s) -> {
            out.write("HTTP/1.1 201 Created Here\r\nX-Server: s1\r\nKeep-Alive: timeout=5\r\nContent-Length: 2\r\n\r\nok"
                    .getBytes(StandardCharsets.ISO_8859_1));
            return true;
        };
        try (TestBackend a = new TestBackend("a", fixed); ProxyHarness proxy = new ProxyHarness()) {
            proxy.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("ba", a.upstream())));
            try (TestClient c = proxy.client()) {
                c.send("GET /x?q=1 HTTP/1.1\r\nHost: Site.example\r\nUser-Agent: t\r\nAccept: */*\r\n\r\n");
                TestClient.Response r = c.read();
                assertEquals("HTTP/1.1 201 Created Here", r.statusLine());
                assertEquals(2, r.fields().size(), "Keep-Alive is hop-by-hop");
                assertEquals("s1", r.header("X-Server"));
                assertEquals("2", r.header("Content-Length"));
                assertEquals("ok", r.bodyText());
            }
            String server = InetAddress.getLocalHost().getHostName();
            String env = System.getenv("HOSTNAME");
            String expectedServer = env != null && !env.isBlank() ? env : server;
            assertEquals("GET /x?q=1 HTTP/1.1\r\nHost: 127.0.0.1:" + a.port() + "\r\nUser-Agent: t\r\nAccept: */*\r\n"
                    + "X-Forwarded-For: 127.0.0.1\r\nX-Real-Ip: 127.0.0.1\r\nX-Forwarded-Proto: http\r\n"
                    + "X-Forwarded-Host: Site.example\r\nX-Forwarded-Port: 80\r\nX-Forwarded-Server: " + expectedServer
                    + "\r\n\r\n", a.take().rawHead());
        }
    }

    @Test
    void keepAliveReusesOneClientAndOneUpstreamConnection() throws Exception {
        try (TestBackend a = new TestBackend("a"); ProxyHarness proxy = new ProxyHarness()) {
            StubRouter.Backend backend = new StubRouter.Backend("ba", a.upstream());
            proxy.router.add(null, "/", StubRouter.frontend("f", backend));
            try (TestClient c = proxy.client()) {
                for (int i = 0; i < 20; i++) {
                    TestClient.Response r = c.get("/n" + i, "x.local");
                    assertEquals(200, r.status());
                    assertTrue(r.bodyText().contains("GET /n" + i + " "), r.bodyText());
                }
            }
            assertEquals(1, a.accepts.get(), "upstream connections opened");
            assertEquals(20, backend.outcomes.size());
            assertTrue(backend.statuses().stream().allMatch(s -> s == 200));
        }
    }

    @Test
    void idleKeepAliveConnectionsHoldNoBuffers() throws Exception {
        try (TestBackend a = new TestBackend("a"); ProxyHarness proxy = new ProxyHarness()) {
            proxy.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("ba", a.upstream())));
            List<TestClient> idle = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 40; i++) {
                    TestClient c = proxy.client();
                    idle.add(c);
                    c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3000\r\n\r\n" + "b".repeat(3000));
                    assertEquals(200, c.read().status());
                }
                ProxyHarness.await("every buffer back in the pools while 40 client and their upstream connections idle",
                        () -> proxy.server.outstandingBuffers() == 0);
                ProxyHarness.await("no idle connection holds a parser, head or request object",
                        () -> proxy.server.connectionsHoldingRequestState() == 0);
                assertEquals(200, idle.get(0).get("/", "x").status(), "and they still work");
            } finally {
                for (TestClient c : idle) {
                    c.close();
                }
            }
        }
    }

    @Test
    void closedConnectionsLeaveNoTimerBehind() throws Exception {
        // Each connection has an idle deadline (180 s by default): a closed connection must not stay queued (and so
        // reachable, with everything it points to) until that time would have come.
        try (TestBackend a = new TestBackend("a"); ProxyHarness proxy = new ProxyHarness()) {
            proxy.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("ba", a.upstream())));
            for (int i = 0; i < 100; i++) {
                try (TestClient c = proxy.client()) {
                    assertEquals(200, c.get("/", "x").status());
                }
            }
            // left: the pooled upstream connections' deadlines (one pool per loop), not one per closed client
            ProxyHarness.await("every closed connection's deadlines out of the timer queue",
                    () -> proxy.server.connections() == 0 && proxy.server.queuedTimers() < 10);
        }
    }

    @Test
    void contentLengthBodyReachesTheServerIntact() throws Exception {
        try (TestBackend a = new TestBackend("a"); ProxyHarness proxy = new ProxyHarness()) {
            proxy.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("ba", a.upstream())));
            byte[] body = new byte[300_000];
            new Random(1).nextBytes(body);
            try (TestClient c = proxy.client()) {
                c.send("POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length + "\r\n\r\n");
                c.send(body);
                TestClient.Response r = c.read();
                assertEquals(200, r.status());
                TestBackend.Received got = a.take();
                assertEquals(String.valueOf(body.length), got.header("Content-Length"));
                assertFalse(got.chunked());
                assertArrayEquals(body, got.body());
            }
        }
    }

    @Test
    void emptyPostKeepsItsContentLengthZero() throws Exception {
        try (TestBackend a = new TestBackend("a"); ProxyHarness proxy = new ProxyHarness();
             TestClient c = proxy.client()) {
            proxy.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("ba", a.upstream())));
            c.send("POST /empty HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
            assertEquals(200, c.read().status());
            assertEquals("0", a.take().header("Content-Length"));
        }
    }

    @Test
    void chunkedRequestBodyIsForwardedChunkedWithItsTrailers() throws Exception {
        try (TestBackend a = new TestBackend("a"); ProxyHarness proxy = new ProxyHarness()) {
            proxy.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("ba", a.upstream())));
            try (TestClient c = proxy.client()) {
                c.send("POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Check: 42\r\n\r\n");
                assertEquals(200, c.read().status());
                TestBackend.Received got = a.take();
                assertTrue(got.chunked());
                assertNull(got.header("Content-Length"));
                assertEquals("hello, world", got.bodyText());
                assertEquals("42", got.header("trailer:X-Check"));
                // the connection is still usable
                assertEquals(200, c.get("/again", "x").status());
            }
        }
    }

    @Test
    void chunkedResponseIsStreamedBackAndConnectionKeptAlive() throws Exception {
        TestBackend.Handler chunky = (req, out, s) -> {
            out.write(("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            return true;
        };
        try (TestBackend a = new TestBackend("a", chunky); ProxyHarness proxy = new ProxyHarness()) {
            proxy.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("ba", a.upstream())));
            try (TestClient c = proxy.client()) {
                for (int i = 0; i < 3; i++) {
                    TestClient.Response r = c.get("/", "x");
                    assertTrue(r.chunked());
                    assertEquals("abcdefg", r.bodyText());
                }
            }
            assertEquals(1, a.accepts.get());
        }
    }

    @Test
    void closeDelimitedResponseReachesAnHttp11ClientChunked() throws Exception {
        TestBackend.Handler closer = (req, out, s) -> {
            out.write("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end".getBytes(StandardCharsets.ISO_8859_1));
            return false;
        };
        try (TestBackend a = new TestBackend("a", closer); ProxyHarness proxy = new ProxyHarness()) {
            proxy.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("ba", a.upstream())));
            try (TestClient c = proxy.client()) {
                TestClient.Response r = c.get("/", "x");
                assertTrue(r.chunked());
                assertEquals("until the end", r.bodyText());
                assertEquals(200, c.get("/", "x").status(), "client connection still usable");
            }
            assertEquals(2, a.accepts.get(), "a server connection that closes is not reused");
        }
    }

    @Test
    void unmatchedRequestGets404WithTraefiksBody() throws Exception {
        try (ProxyHarness proxy = new ProxyHarness(); TestClient c = proxy.client()) {
            TestClient.Response r = c.get("/nothing", "x");
            assertEquals(404, r.status());
            assertEquals("404 page not found\n", r.bodyText());
            assertEquals(404, c.get("/again", "x").status(), "connection kept alive");
        }
    }

    @Test
    void refusedConnectionGets502AndIsRecorded() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
        Upstream dead = new Upstream(null, new InetSocketAddress("127.0.0.1", deadPort), "127.0.0.1:" + deadPort,
                "http://127.0.0.1:" + deadPort);
        try (ProxyHarness proxy = new ProxyHarness(); TestClient c = proxy.client()) {
            StubRouter.Backend backend = new StubRouter.Backend("dead", dead);
            proxy.router.add(null, "/", StubRouter.frontend("f", backend));
            TestClient.Response r = c.get("/", "x");
            assertEquals(502, r.status());
            assertEquals("Bad Gateway", r.bodyText());
            assertEquals(List.of(502), backend.statuses());
            assertEquals(502, c.get("/", "x").status(), "client connection survives");
        }
    }

    @Test
    void backendWithoutServersGets503() throws Exception {
        try (ProxyHarness proxy = new ProxyHarness(); TestClient c = proxy.client()) {
            proxy.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("empty")));
            assertEquals(503, c.get("/", "x").status());
        }
    }

    @Test
    void failedBalancerGets502() throws Exception {
        try (ProxyHarness proxy = new ProxyHarness(); TestClient c = proxy.client()) {
            StubRouter.Backend b = new StubRouter.Backend("broken");
            b.picker = r -> Upstream.FAILED;
            proxy.router.add(null, "/", StubRouter.frontend("f", b));
            assertEquals(502, c.get("/", "x").status());
        }
    }

    @Test
    void untrustedClientsForwardedFieldsAreReplaced() throws Exception {
        try (TestBackend a = new TestBackend("a"); ProxyHarness proxy = new ProxyHarness();
             TestClient c = proxy.client()) {
            proxy.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("ba", a.upstream())));
            c.send("GET / HTTP/1.1\r\nHost: front.local:8080\r\nX-Forwarded-For: 6.6.6.6\r\nX-Real-Ip: 6.6.6.6\r\n"
                    + "X-Forwarded-Proto: https\r\nX-Forwarded-Host: evil\r\nX-Forwarded-Port: 1\r\n\r\n");
            assertEquals(200, c.read().status());
            TestBackend.Received got = a.take();
            assertEquals(List.of("127.0.0.1"), got.headers("X-Forwarded-For"));
            assertEquals("127.0.0.1", got.header("X-Real-Ip"));
            assertEquals("http", got.header("X-Forwarded-Proto"));
            assertEquals("front.local:8080", got.header("X-Forwarded-Host"));
            assertEquals("8080", got.header("X-Forwarded-Port"));
            assertTrue(got.header("X-Forwarded-Server") != null && !got.header("X-Forwarded-Server").isEmpty());
        }
    }

    @Test
    void trustedProxysForwardedForIsAppendedAndOthersKept() throws Exception {
        try (TestBackend a = new TestBackend("a"); ProxyHarness proxy = new ProxyHarness(List.of("127.0.0.0/8"), s -> s);
             TestClient c = proxy.client()) {
            proxy.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("ba", a.upstream())));
            c.send("GET / HTTP/1.1\r\nHost: front.local\r\nX-Forwarded-For: 10.1.1.1\r\nX-Forwarded-Proto: https\r\n"
                    + "X-Real-Ip: 10.1.1.1\r\n\r\n");
            assertEquals(200, c.read().status());
            TestBackend.Received got = a.take();
            assertEquals(List.of("10.1.1.1, 127.0.0.1"), got.headers("X-Forwarded-For"));
            assertEquals("https", got.header("X-Forwarded-Proto"));
            assertEquals("10.1.1.1", got.header("X-Real-Ip"));
            assertEquals("80", got.header("X-Forwarded-Port"));
        }
    }

    @Test
    void hostSentIsTheServersUnlessPassHostHeader() throws Exception {
        try (TestBackend a = new TestBackend("a"); ProxyHarness proxy = new ProxyHarness();
             TestClient c = proxy.client()) {
            StubRouter.Backend backend = new StubRouter.Backend("ba", a.upstream());
            proxy.router.add("pass.local", "/", new StubRouter.Frontend("pass", true, List.of(), backend));
            proxy.router.add(null, "/", StubRouter.frontend("nopass", backend));
            c.get("/", "other.local");
            assertEquals("127.0.0.1:" + a.port(), a.take().header("Host"));
            c.get("/", "Pass.local:81");
            assertEquals("Pass.local:81", a.take().header("Host"));
        }
    }

    @Test
    void hopByHopFieldsAndThoseNamedInConnectionAreRemoved() throws Exception {
        try (TestBackend a = new TestBackend("a"); ProxyHarness proxy = new ProxyHarness();
             TestClient c = proxy.client()) {
            proxy.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("ba", a.upstream())));
            c.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, X-Secret\r\nX-Secret: s\r\nKeep-Alive: 5\r\n"
                    + "Proxy-Authorization: basic x\r\nTE: trailers\r\nX-Kept: yes\r\n\r\n");
            assertEquals(200, c.read().status());
            TestBackend.Received got = a.take();
            for (String gone : List.of("Connection", "X-Secret", "Keep-Alive", "Proxy-Authorization", "TE")) {
                assertNull(got.header(gone), gone + " should not reach the server");
            }
            assertEquals("yes", got.header("X-Kept"));
        }
    }

    /** A modifier as PathPrefixStrip:/api would be, also setting one field and replacing another. */
    private static Modifier stripApiPrefix() {
        return new Modifier() {
            @Override
            public int order() {
                return STRIP_PREFIX;
            }

            @Override
            public void apply(RequestRewrite r) {
                r.setPath(r.path().substring("/api".length()));
                r.addHeader("X-Forwarded-Prefix", "/api");
                r.setHeader("X-Mode", "set");
            }
        };
    }

    @Test
    void modifierRewritesReachTheServer() throws Exception {
        Modifier strip = stripApiPrefix();
        try (TestBackend a = new TestBackend("a"); ProxyHarness proxy = new ProxyHarness();
             TestClient c = proxy.client()) {
            proxy.router.add(null, "/api", new StubRouter.Frontend("f", false, List.of(strip),
                    new StubRouter.Backend("ba", a.upstream())));
            c.send("GET /api/users?id=7 HTTP/1.1\r\nHost: x\r\nX-Mode: client\r\n\r\n");
            assertEquals(200, c.read().status());
            TestBackend.Received got = a.take();
            assertEquals("/users?id=7", got.target());
            assertEquals("/api", got.header("X-Forwarded-Prefix"));
            assertEquals(List.of("set"), got.headers("X-Mode"));
        }
    }

    @Test
    void nothingOfOneExchangeLeaksIntoTheNextOnTheSameConnection() throws Exception {
        // The request objects and head storage are reused from exchange to exchange on a loop: the second request
        // must reach the server with its own target, Host and fields only, not the first one's rewrites.
        Modifier strip = stripApiPrefix();
        try (TestBackend a = new TestBackend("a"); ProxyHarness proxy = new ProxyHarness();
             TestClient c = proxy.client()) {
            StubRouter.Backend backend = new StubRouter.Backend("ba", a.upstream());
            proxy.router.add(null, "/api", new StubRouter.Frontend("api", false, List.of(strip), backend));
            proxy.router.add(null, "/", new StubRouter.Frontend("plain", true, List.of(), backend));
            c.send("GET /api/users?id=7 HTTP/1.1\r\nHost: one.example\r\nX-Mode: client\r\nX-Only-First: 1\r\n\r\n");
            assertEquals(200, c.read().status());
            c.send("GET /plain HTTP/1.1\r\nHost: two.example\r\nX-Mode: second\r\n\r\n");
            assertEquals(200, c.read().status());
            c.send("GET /api/users?id=8 HTTP/1.1\r\nHost: one.example\r\nX-Mode: client\r\n\r\n");
            assertEquals(200, c.read().status());
            TestBackend.Received first = a.take();
            TestBackend.Received second = a.take();
            TestBackend.Received third = a.take();
            assertEquals("/users?id=7", first.target());
            assertEquals(List.of("set"), first.headers("X-Mode"));
            assertEquals("/plain", second.target());
            assertEquals("two.example", second.header("Host"));
            assertEquals(List.of("second"), second.headers("X-Mode"));
            assertNull(second.header("X-Forwarded-Prefix"));
            assertNull(second.header("X-Only-First"));
            assertEquals("/users?id=8", third.target());
            assertEquals(List.of("set"), third.headers("X-Mode"));
            assertEquals(List.of("/api"), third.headers("X-Forwarded-Prefix"));
        }
    }

    @Test
    void modifierRespondRedirectsWithoutContactingAServer() throws Exception {
        Modifier redirect = new Modifier() {
            @Override
            public int order() {
                return 0;
            }

            @Override
            public void apply(RequestRewrite r) {
                r.respond(301, "http://x/new/");
            }
        };
        try (TestBackend a = new TestBackend("a"); ProxyHarness proxy = new ProxyHarness();
             TestClient c = proxy.client()) {
            proxy.router.add(null, "/", new StubRouter.Frontend("f", false, List.of(redirect),
                    new StubRouter.Backend("ba", a.upstream())));
            TestClient.Response r = c.get("/new", "x");
            assertEquals(301, r.status());
            assertEquals("http://x/new/", r.header("Location"));
            assertEquals(0, a.accepts.get());
        }
    }

    @Test
    void pathIsNormalizedBeforeRoutingAndSentNormalized() throws Exception {
        try (TestBackend a = new TestBackend("a"); ProxyHarness proxy = new ProxyHarness();
             TestClient c = proxy.client()) {
            proxy.router.add(null, "/public", StubRouter.frontend("f", new StubRouter.Backend("ba", a.upstream())));
            assertEquals(404, c.get("/public/%2e%2e/admin", "x").status(), "dot segments resolved before routing");
            assertEquals(200, c.get("/public/./a/../%7Euser/%2f?q=%41", "x").status());
            assertEquals("/public/~user/%2F?q=%41", a.take().target());
        }
    }

    @Test
    void http10ClientGetsItsConnectionClosedUnlessKeepAliveAsked() throws Exception {
        try (TestBackend a = new TestBackend("a"); ProxyHarness proxy = new ProxyHarness()) {
            proxy.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("ba", a.upstream())));
            try (TestClient c = proxy.client()) {
                c.send("GET / HTTP/1.0\r\n\r\n");
                TestClient.Response r = c.read();
                assertEquals(200, r.status());
                assertEquals("close", r.header("Connection"));
                assertTrue(c.closedByPeer());
                assertEquals("127.0.0.1:" + a.port(), a.take().header("Host"), "no Host from the client: server's");
            }
            try (TestClient c = proxy.client()) {
                c.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
                TestClient.Response r = c.read();
                assertEquals("keep-alive", r.header("Connection"));
                c.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
                assertEquals(200, c.read().status());
            }
        }
    }

    @Test
    void chunkedResponseReachesAnHttp10ClientDechunkedAndCloseDelimited() throws Exception {
        TestBackend.Handler chunky = (req, out, s) -> {
            out.write(("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            return true;
        };
        try (TestBackend a = new TestBackend("a", chunky); ProxyHarness proxy = new ProxyHarness();
             TestClient c = proxy.client()) {
            proxy.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("ba", a.upstream())));
            c.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            String all = c.readAll();
            assertTrue(all.startsWith("HTTP/1.1 200 OK\r\n"), all);
            assertFalse(all.toLowerCase().contains("transfer-encoding"), all);
            assertTrue(all.contains("Connection: close\r\n"), all);
            assertTrue(all.endsWith("\r\n\r\nabcde"), all);
        }
    }

    @Test
    void connectionCloseFromClientIsHonouredAfterTheResponse() throws Exception {
        try (TestBackend a = new TestBackend("a"); ProxyHarness proxy = new ProxyHarness();
             TestClient c = proxy.client()) {
            proxy.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("ba", a.upstream())));
            c.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            TestClient.Response r = c.read();
            assertEquals(200, r.status());
            assertEquals("close", r.header("Connection"));
            assertTrue(c.closedByPeer());
        }
    }

    @Test
    void headResponseIsFramedWithoutABody() throws Exception {
        TestBackend.Handler head = (req, out, s) -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            return true;
        };
        try (TestBackend a = new TestBackend("a", head); ProxyHarness proxy = new ProxyHarness();
             TestClient c = proxy.client()) {
            proxy.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("ba", a.upstream())));
            c.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
            TestClient.Response r = c.read("HEAD");
            assertEquals("1234", r.header("Content-Length"));
            c.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, c.read("HEAD").status(), "the next response is not taken for a body");
            assertEquals(1, a.accepts.get());
        }
    }

    @Test
    void largeResponseIsStreamedWithBackpressure() throws Exception {
        byte[] big = new byte[8 * 1024 * 1024];
        new Random(7).nextBytes(big);
        TestBackend.Handler bigBody = (req, out, s) -> {
            TestBackend.writeResponse(out, 200, "OK", big);
            return true;
        };
        try (TestBackend a = new TestBackend("a", bigBody); ProxyHarness proxy = new ProxyHarness();
             TestClient c = proxy.client()) {
            proxy.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("ba", a.upstream())));
            TestClient.Response r = c.get("/", "x");
            assertArrayEquals(big, r.body());
        }
    }

    @SuppressWarnings("unused")
    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
