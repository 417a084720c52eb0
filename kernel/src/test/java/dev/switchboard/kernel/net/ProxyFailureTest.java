package dev.switchboard.kernel.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Misbehaving servers and clients: each failure stays on its connection and the proxy keeps serving. */
class ProxyFailureTest {

    private static void health(ProxyHarness p) throws IOException {
        try (TestClient c = p.client()) {
            assertEquals(200, c.get("/health", "x").status(), "the proxy answers after the failure");
        }
    }

    @Test
    void serverClosingMidBodyClosesTheClientConnectionSoTheShortBodyIsVisible() throws Exception {
        TestBackend.Handler cut = (req, out, s) -> {
            if (req.target().equals("/health")) {
                return new TestBackend("echo").echo(req, out);
            }
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten..".getBytes(StandardCharsets.ISO_8859_1));
            return false;
        };
        try (TestBackend a = new TestBackend("a", cut); ProxyHarness p = new ProxyHarness()) {
            StubRouter.Backend b = new StubRouter.Backend("ba", a.upstream());
            p.router.add(null, "/", StubRouter.frontend("f", b));
            try (TestClient c = p.client()) {
                c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                EOFException e = assertThrows(EOFException.class, c::read);
                assertTrue(e.getMessage().contains("10 of 100"), e.getMessage());
            }
            health(p);
        }
    }

    @Test
    void serverClosingMidChunkedBodyNeverSendsTheLastChunk() throws Exception {
        TestBackend.Handler cut = (req, out, s) -> {
            if (req.target().equals("/health")) {
                return new TestBackend("echo").echo(req, out);
            }
            out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n".getBytes(StandardCharsets.ISO_8859_1));
            return false;
        };
        try (TestBackend a = new TestBackend("a", cut); ProxyHarness p = new ProxyHarness()) {
            p.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("ba", a.upstream())));
            try (TestClient c = p.client()) {
                c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                String all = c.readAll();
                assertTrue(all.contains("hello"), all);
                assertTrue(!all.contains("0\r\n\r\n"), "no terminating chunk: " + all);
            }
            health(p);
        }
    }

    @Test
    void serverClosingBeforeAnyResponseGets502() throws Exception {
        TestBackend.Handler rude = (req, out, s) -> {
            if (req.target().equals("/health")) {
                return new TestBackend("echo").echo(req, out);
            }
            return false;
        };
        try (TestBackend a = new TestBackend("a", rude); ProxyHarness p = new ProxyHarness()) {
            StubRouter.Backend b = new StubRouter.Backend("ba", a.upstream());
            p.router.add(null, "/", StubRouter.frontend("f", b));
            try (TestClient c = p.client()) {
                assertEquals(502, c.get("/", "x").status());
            }
            assertEquals(List.of(502), b.statuses());
            health(p);
        }
    }

    /** Answers the first request on each connection, then closes on the second without answering. */
    private static TestBackend.Handler oneRequestPerConnection() {
        Map<Socket, AtomicInteger> perConnection = new ConcurrentHashMap<>();
        return (req, out, s) -> {
            int n = perConnection.computeIfAbsent(s, k -> new AtomicInteger()).incrementAndGet();
            if (n > 1) {
                return false; // closes as if its keep-alive timer fired just as the request arrived
            }
            TestBackend.writeResponse(out, 200, "OK", req.target().getBytes(StandardCharsets.ISO_8859_1));
            return true;
        };
    }

    @Test
    void pooledConnectionClosedByTheServerIsRetriedOnceForAnIdempotentRequest() throws Exception {
        try (TestBackend a = new TestBackend("a", oneRequestPerConnection()); ProxyHarness p = new ProxyHarness();
             TestClient c = p.client()) {
            StubRouter.Backend b = new StubRouter.Backend("ba", a.upstream());
            p.router.add(null, "/", StubRouter.frontend("f", b));
            assertEquals("/1", c.get("/1", "x").bodyText());
            assertEquals("/2", c.get("/2", "x").bodyText(), "retried on a fresh connection, not 502");
            assertEquals(2, a.accepts.get());
            assertEquals(List.of(200, 200), b.statuses());
        }
    }

    @Test
    void pooledConnectionClosedByTheServerIsNotRetriedForAPost() throws Exception {
        try (TestBackend a = new TestBackend("a", oneRequestPerConnection()); ProxyHarness p = new ProxyHarness();
             TestClient c = p.client()) {
            p.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("ba", a.upstream())));
            assertEquals(200, c.get("/1", "x").status());
            c.send("POST /2 HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi");
            assertEquals(502, c.read().status());
            assertEquals(1, a.accepts.get(), "no second attempt");
        }
    }

    @Test
    void clientAbortingMidUploadClosesTheUpstreamConnection() throws Exception {
        try (TestBackend a = new TestBackend("a"); ProxyHarness p = new ProxyHarness()) {
            StubRouter.Backend b = new StubRouter.Backend("ba", a.upstream());
            p.router.add(null, "/", StubRouter.frontend("f", b));
            try (TestClient c = p.client()) {
                c.send("POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(5000));
                ProxyHarness.await("the first 5000 body bytes reached the server", () -> a.bytesIn.get() > 5000);
            }
            ProxyHarness.await("the server saw the upload abandoned", () -> a.incomplete.get() == 1);
            assertEquals(List.of(499), b.statuses());
            assertEquals(0, p.server.pooledUpstreams(), "a connection mid-request is never pooled");
            health(p);
        }
    }

    @Test
    void garbageFromManyClientsCostsOnlyTheirConnections() throws Exception {
        try (TestBackend a = new TestBackend("a"); ProxyHarness p = new ProxyHarness()) {
            p.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("ba", a.upstream())));
            Random random = new Random(42);
            for (int i = 0; i < 60; i++) {
                byte[] junk = new byte[random.nextInt(3000)];
                random.nextBytes(junk);
                if (i % 3 == 0) {
                    System.arraycopy("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.ISO_8859_1), 0, junk, 0,
                            Math.min(16, junk.length));
                }
                try (TestClient c = p.client()) {
                    c.send(junk);
                    c.shutdownOutput();
                    c.readAll();
                } catch (IOException e) {
                    // a reset is an acceptable answer to garbage
                }
            }
            health(p);
        }
    }

    @Test
    void aThousandConnectionsOpenAtOnceAreEachServedOnTheirOwn() throws Exception {
        int n = 1000;
        List<TestClient> open = new ArrayList<>(n);
        try (TestBackend a = new TestBackend("a"); ProxyHarness p = new ProxyHarness()) {
            p.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("ba", a.upstream())));
            try {
                for (int i = 0; i < n; i++) {
                    open.add(p.client()); // all open before any request
                }
                ProxyHarness.await("the proxy holds all " + n + " connections", () -> p.server.connections() == n);
                java.util.Random random = new java.util.Random(7);
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    order.add(i);
                }
                java.util.Collections.shuffle(order, random);
                for (int i : order) {
                    TestClient.Response r = open.get(i).get("/conn/" + i, "x");
                    assertEquals(200, r.status());
                    assertTrue(r.bodyText().contains("GET /conn/" + i + " "), r.bodyText());
                }
            } finally {
                for (TestClient c : open) {
                    c.close();
                }
            }
            health(p);
        }
    }

    @Test
    void manyConcurrentKeepAliveClientsAreAllServed() throws Exception {
        int clients = 100;
        int requests = 5;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try (TestBackend a = new TestBackend("a"); ProxyHarness p = new ProxyHarness()) {
            p.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("ba", a.upstream())));
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int id = i;
                results.add(pool.submit(() -> {
                    int ok = 0;
                    try (TestClient c = p.client()) {
                        for (int r = 0; r < requests; r++) {
                            TestClient.Response resp = c.get("/c" + id + "/r" + r, "x");
                            if (resp.status() == 200 && resp.bodyText().contains("/c" + id + "/r" + r)) {
                                ok++;
                            }
                        }
                    }
                    return ok;
                }));
            }
            int total = 0;
            for (Future<Integer> f : results) {
                total += f.get(60, TimeUnit.SECONDS);
            }
            assertEquals(clients * requests, total);
        } finally {
            pool.shutdownNow();
        }
    }
}
