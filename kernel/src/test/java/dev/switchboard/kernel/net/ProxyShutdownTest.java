package dev.switchboard.kernel.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Graceful shutdown: stop accepting, let in-flight exchanges finish within the grace timeout, then close. */
class ProxyShutdownTest {

    private static boolean refuses(InetSocketAddress address) {
        try (Socket s = new Socket()) {
            s.connect(address, 500);
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Test
    void inFlightExchangeFinishesWhileNewConnectionsAreRefused() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TestBackend.Handler slow = (req, out, s) -> {
            arrived.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            TestBackend.writeResponse(out, 200, "OK", "done".getBytes());
            return true;
        };
        try (TestBackend a = new TestBackend("a", slow); ProxyHarness p = new ProxyHarness();
             TestClient c = p.client()) {
            p.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("ba", a.upstream())));
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(arrived.await(10, TimeUnit.SECONDS));
            InetSocketAddress address = p.address();
            Thread stopper = new Thread(p.server::shutdown, "test-shutdown");
            stopper.start();
            ProxyHarness.await("the listener is closed", () -> refuses(address));
            assertTrue(stopper.isAlive(), "shutdown waits for the exchange in flight");
            release.countDown();
            TestClient.Response r = c.read();
            assertEquals(200, r.status());
            assertEquals("done", r.bodyText());
            assertEquals("close", r.header("Connection"), "the connection does not outlive the shutdown");
            stopper.join(10_000);
            assertFalse(stopper.isAlive());
        }
    }

    @Test
    void exchangeStillRunningAtTheGraceTimeoutIsClosed() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        TestBackend.Handler hang = (req, out, s) -> {
            arrived.countDown();
            s.getInputStream().read(); // until the proxy closes
            return false;
        };
        try (TestBackend a = new TestBackend("a", hang);
             ProxyHarness p = new ProxyHarness(List.of(), s -> new ProxySettings(s.listeners(), s.eventLoops(),
                     s.readTimeout(), s.writeTimeout(), s.idleTimeout(), s.dialTimeout(), s.responseHeaderTimeout(),
                     Duration.ofMillis(400), s.maxHeaderBytes(), s.headerReadTimeout()));
             TestClient c = p.client()) {
            p.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("ba", a.upstream())));
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(arrived.await(10, TimeUnit.SECONDS));
            long start = System.nanoTime();
            p.server.shutdown();
            long took = System.nanoTime() - start;
            assertTrue(took >= TimeUnit.MILLISECONDS.toNanos(400), "waited for the grace timeout");
            assertTrue(took < TimeUnit.SECONDS.toNanos(5), "but not much longer");
            assertTrue(c.closedByPeer());
        }
    }

    @Test
    void idleKeepAliveConnectionsAreClosedAtOnce() throws Exception {
        try (TestBackend a = new TestBackend("a"); ProxyHarness p = new ProxyHarness(); TestClient c = p.client()) {
            p.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("ba", a.upstream())));
            assertEquals(200, c.get("/", "x").status());
            long start = System.nanoTime();
            p.server.shutdown();
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "nothing in flight: no grace wait");
            assertTrue(c.closedByPeer());
            ProxyHarness.await("the pooled upstream connection is closed", () -> a.closedConnections.get() == 1);
        }
    }
}
