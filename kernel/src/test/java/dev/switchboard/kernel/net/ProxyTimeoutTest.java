package dev.switchboard.kernel.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Timeouts with Traefik v1's names, each over real sockets with short values. */
class ProxyTimeoutTest {
    private static final Duration SHORT = Duration.ofMillis(300);
    private static final Duration NONE = Duration.ZERO;

    static UnaryOperator<ProxySettings> timeouts(Duration read, Duration write, Duration idle, Duration dial,
                                                 Duration responseHeader, Duration headerRead) {
        return s -> s.withTimeouts(read, write, idle, dial, responseHeader, headerRead);
    }

    static ProxyHarness proxy(UnaryOperator<ProxySettings> t) throws IOException {
        return new ProxyHarness(List.of(), t);
    }

    @Test
    void idleKeepAliveConnectionIsClosedAfterIdleTimeout() throws Exception {
        try (TestBackend a = new TestBackend("a");
             ProxyHarness p = proxy(timeouts(NONE, NONE, SHORT, Duration.ofSeconds(5), NONE, Duration.ofSeconds(5)));
             TestClient c = p.client()) {
            p.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("ba", a.upstream())));
            assertEquals(200, c.get("/", "x").status());
            long start = System.nanoTime();
            assertTrue(c.closedByPeer());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "closed by the idle timeout");
        }
    }

    @Test
    void connectionThatNeverSendsIsClosedAfterIdleTimeout() throws Exception {
        try (ProxyHarness p = proxy(timeouts(NONE, NONE, SHORT, Duration.ofSeconds(5), NONE, Duration.ofSeconds(5)));
             TestClient c = p.client()) {
            assertTrue(c.closedByPeer());
            assertEquals("", c.readAll(), "closed without a response");
        }
    }

    @Test
    void slowlorisTricklingAHeadGets408AtTheHeaderReadDeadline() throws Exception {
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try (TestBackend a = new TestBackend("a");
             ProxyHarness p = proxy(timeouts(NONE, NONE, Duration.ofSeconds(5), Duration.ofSeconds(5), NONE, SHORT));
             TestClient c = p.client()) {
            p.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("ba", a.upstream())));
            c.send("GET / HTTP/1.1\r\nHost: x\r\n");
            // one field line every 50 ms: always within the idle timeout, never finishing the head
            trickle.scheduleAtFixedRate(() -> {
                try {
                    c.send("X-Trickle: 1\r\n");
                } catch (IOException e) {
                    // the proxy closed: expected
                }
            }, 0, 50, TimeUnit.MILLISECONDS);
            long start = System.nanoTime();
            TestClient.Response r = c.read();
            assertEquals(408, r.status());
            assertEquals("close", r.header("Connection"));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
            assertEquals(0, a.received.size());
            p.assertStillServes();
        } finally {
            trickle.shutdownNow();
        }
    }

    @Test
    void stalledHeadIsStillClosedByTheIdleTimeoutWhenNoHeaderDeadlineIsSet() throws Exception {
        try (ProxyHarness p = proxy(timeouts(NONE, NONE, SHORT, Duration.ofSeconds(5), NONE, NONE));
             TestClient c = p.client()) {
            c.send("GET / HTTP/1.1\r\nHo");
            assertTrue(c.closedByPeer());
            p.assertStillServes();
        }
    }

    @Test
    void responseHeaderTimeoutGets504AndIsRecorded() throws Exception {
        CountDownLatch proxyGaveUp = new CountDownLatch(1);
        TestBackend.Handler hang = (req, out, s) -> {
            // never answer; return when the proxy closes its side
            if (s.getInputStream().read() < 0) {
                proxyGaveUp.countDown();
            }
            return false;
        };
        try (TestBackend a = new TestBackend("a", hang);
             ProxyHarness p = proxy(timeouts(NONE, NONE, Duration.ofSeconds(5), Duration.ofSeconds(5), SHORT, NONE));
             TestClient c = p.client()) {
            StubRouter.Backend b = new StubRouter.Backend("ba", a.upstream());
            p.router.add(null, "/", StubRouter.frontend("f", b));
            TestClient.Response r = c.get("/", "x");
            assertEquals(504, r.status());
            assertEquals("Gateway Timeout", r.bodyText());
            assertEquals(List.of(504), b.statuses());
            assertTrue(proxyGaveUp.await(5, TimeUnit.SECONDS), "the hung upstream connection is closed");
            p.assertStillServes();
        }
    }

    @Test
    void dialTimeoutGets504() throws Exception {
        // a listener whose accept queue is full: the kernel drops further SYNs, so a connect hangs
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            try {
                InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort());
                for (int i = 0; i < 16; i++) {
                    Socket s = new Socket();
                    try {
                        s.connect(target, 200);
                        fillers.add(s);
                    } catch (IOException e) {
                        s.close();
                        break; // the queue is full
                    }
                }
                dev.switchboard.kernel.routing.Upstream u = new dev.switchboard.kernel.routing.Upstream(null, target,
                        "127.0.0.1:" + full.getLocalPort(), "dial-test");
                try (ProxyHarness p = proxy(timeouts(NONE, NONE, Duration.ofSeconds(5), SHORT, NONE, NONE));
                     TestClient c = p.client()) {
                    StubRouter.Backend b = new StubRouter.Backend("bb", u);
                    p.router.add(null, "/", StubRouter.frontend("f", b));
                    TestClient.Response r = c.get("/", "x");
                    assertEquals(504, r.status());
                    assertEquals(List.of(504), b.statuses());
                    p.assertStillServes();
                }
            } finally {
                for (Socket s : fillers) {
                    s.close();
                }
            }
        }
    }

    @Test
    void readTimeoutMidBodyGets408AndTheUpstreamConnectionIsClosed() throws Exception {
        try (TestBackend a = new TestBackend("a");
             ProxyHarness p = proxy(timeouts(SHORT, NONE, Duration.ofSeconds(5), Duration.ofSeconds(5), NONE, NONE));
             TestClient c = p.client()) {
            p.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("ba", a.upstream())));
            c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789");
            TestClient.Response r = c.read();
            assertEquals(408, r.status());
            assertTrue(c.closedByPeer());
            ProxyHarness.await("the server saw the request abandoned", () -> a.incomplete.get() == 1);
            p.assertStillServes();
        }
    }

    @Test
    void writeTimeoutWithASlowServerGets504() throws Exception {
        CountDownLatch proxyGaveUp = new CountDownLatch(1);
        TestBackend.Handler hang = (req, out, s) -> {
            // never answer; return when the proxy closes its side
            if (s.getInputStream().read() < 0) {
                proxyGaveUp.countDown();
            }
            return false;
        };
        try (TestBackend a = new TestBackend("a", hang);
             ProxyHarness p = proxy(timeouts(NONE, SHORT, Duration.ofSeconds(5), Duration.ofSeconds(5), NONE, NONE));
             TestClient c = p.client()) {
            p.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("ba", a.upstream())));
            assertEquals(504, c.get("/", "x").status());
            assertTrue(proxyGaveUp.await(5, TimeUnit.SECONDS), "the upstream connection is closed");
            p.assertStillServes();
        }
    }

    @Test
    void headerReadDeadlineDoesNotCutARequestThatArrivesInTime() throws Exception {
        try (TestBackend a = new TestBackend("a");
             ProxyHarness p = proxy(timeouts(NONE, NONE, Duration.ofSeconds(5), Duration.ofSeconds(5), NONE, SHORT));
             TestClient c = p.client()) {
            p.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("ba", a.upstream())));
            for (int i = 0; i < 3; i++) {
                c.send("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
                c.send("Host: x\r\n\r\n");
                assertEquals(200, c.read().status());
            }
        }
    }
}
