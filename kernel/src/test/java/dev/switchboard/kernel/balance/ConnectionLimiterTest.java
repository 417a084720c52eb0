package dev.switchboard.kernel.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.kernel.testing.TestRequest;
import dev.switchboard.spi.model.MaxConn;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConnectionLimiterTest {
    static final TestRequest REQUEST = TestRequest.get("http", "x.test", "/");

    @Test
    void requestPastAmountIsRejectedUntilOneEnds() {
        ConnectionLimiter l = ConnectionLimiter.of(new MaxConn(2, "request.host"));
        ConnectionLimiter.Counter first = l.tryAcquire(REQUEST);
        ConnectionLimiter.Counter second = l.tryAcquire(REQUEST);
        assertNotNull(first);
        assertNotNull(second);
        assertNull(l.tryAcquire(REQUEST));
        l.release(first);
        ConnectionLimiter.Counter third = l.tryAcquire(REQUEST);
        assertNotNull(third);
        l.release(second);
        l.release(third);
        assertEquals(0, l.keys(), "an idle key leaves the map");
    }

    @Test
    void rejectionTextIsOxys() {
        assertEquals("max connections reached: 10",
                ConnectionLimiter.of(new MaxConn(10, "client.ip")).rejection());
    }

    @Test
    void zeroAmountOrNoSectionMeansNoLimiter() {
        assertNull(ConnectionLimiter.of(null));
        assertNull(ConnectionLimiter.of(new MaxConn(0, "client.ip")));
    }

    @Test
    void unknownExtractorIsRefusedWithTheThreeForms() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConnectionLimiter.of(new MaxConn(1, "client.port")));
        assertTrue(e.getMessage().contains("client.ip, request.host or request.header.NAME"), e.getMessage());
    }

    @Test
    void keysFollowTheExtractor() {
        TestRequest withHeader = new TestRequest("http", "GET", "x.test:8080", "/", Map.of("X-User", "ann"));
        assertEquals("127.0.0.1", ConnectionLimiter.of(new MaxConn(1, "client.ip")).keyOf(withHeader));
        assertEquals("x.test:8080", ConnectionLimiter.of(new MaxConn(1, "request.host")).keyOf(withHeader));
        ConnectionLimiter byHeader = ConnectionLimiter.of(new MaxConn(1, "request.header.X-User"));
        assertEquals("ann", byHeader.keyOf(withHeader));
    }

    @Test
    void missingHeaderCountsPerClientNotOneSharedEmptyKey() {
        // traefik/traefik#6965: Traefik v1 put every request without the header under "".
        ConnectionLimiter l = ConnectionLimiter.of(new MaxConn(1, "request.header.X-User"));
        String key = l.keyOf(REQUEST);
        assertTrue(key.endsWith("127.0.0.1") && !key.isEmpty() && !key.equals("127.0.0.1"), key);
    }

    @Test
    void concurrentAcquireAndReleaseNeverExceedAmountAndLeaveNothingBehind() throws Exception {
        ConnectionLimiter l = ConnectionLimiter.of(new MaxConn(3, "request.host"));
        int threads = 8;
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxSeen = new AtomicInteger();
        AtomicLong admitted = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 20_000; i++) {
                    ConnectionLimiter.Counter c = l.tryAcquire(REQUEST);
                    if (c != null) {
                        int n = inFlight.incrementAndGet();
                        maxSeen.accumulateAndGet(n, Math::max);
                        admitted.incrementAndGet();
                        inFlight.decrementAndGet();
                        l.release(c);
                    }
                }
            });
            th.start();
            all.add(th);
        }
        start.countDown();
        for (Thread th : all) {
            th.join(60_000);
        }
        assertTrue(maxSeen.get() <= 3, "in flight at once: " + maxSeen.get());
        assertTrue(admitted.get() > 0);
        assertEquals(0, l.keys());
        assertEquals(0, l.inFlight("x.test"));
    }
}
