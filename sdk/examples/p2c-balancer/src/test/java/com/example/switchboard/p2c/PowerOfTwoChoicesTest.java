package com.example.switchboard.p2c;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.switchboard.spi.balance.BalancerContext;
import dev.switchboard.spi.model.Server;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The balancer without a proxy: choice rule, availability, carried-over counters, concurrent use. */
@Timeout(60)
class PowerOfTwoChoicesTest {

    private static List<Server> servers(int n) {
        List<Server> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new Server("s" + i, URI.create("http://127.0.0.1:" + (9000 + i)), 1, null));
        }
        return list;
    }

    private static PowerOfTwoChoices balancer(List<Server> servers, PowerOfTwoChoices previous) {
        return (PowerOfTwoChoices) new PowerOfTwoChoicesFactory()
                .create(new BalancerContext(null, servers, previous, false));
    }

    @Test
    void withTwoServersEveryPickGoesToTheOneWithFewerInFlight() {
        List<Server> s = servers(2);
        PowerOfTwoChoices p2c = balancer(s, null);
        Server first = p2c.pick(null); // in flight: first 1, other 0
        Server other = s.get(0) == first ? s.get(1) : s.get(0);
        for (int i = 0; i < 100; i++) {
            assertSame(other, p2c.pick(null), "the idle server wins");
            p2c.record(other, 200, 1);
        }
        p2c.record(first, 200, 1);
        assertArrayEquals(new int[] {0, 0}, p2c.inFlight());
    }

    @Test
    void unavailableServerIsNeverPickedAndNoneAvailableGivesNull() {
        List<Server> s = servers(3);
        PowerOfTwoChoices p2c = balancer(s, null);
        p2c.setAvailable(s.get(1), false);
        for (int i = 0; i < 300; i++) {
            Server picked = p2c.pick(null);
            assertEquals(true, picked != s.get(1), "s1 is down");
            p2c.record(picked, 200, 1);
        }
        p2c.setAvailable(s.get(0), false);
        p2c.setAvailable(s.get(2), false);
        assertNull(p2c.pick(null));
    }

    @Test
    void nextGenerationWithTheSameServersKeepsCountingRequestsStillInFlight() {
        List<Server> s = servers(2);
        PowerOfTwoChoices old = balancer(s, null);
        Server busy = old.pick(null);
        PowerOfTwoChoices next = balancer(servers(2), old);
        Server other = busy.equals(s.get(0)) ? s.get(1) : s.get(0);
        assertEquals(other, next.pick(null), "the old generation's request still counts");
        old.record(busy, 200, 1);
        next.record(other, 200, 1);
        assertArrayEquals(new int[] {0, 0}, next.inFlight());
    }

    @Test
    void recordOfAnUnknownServerOrOneTooManyNeverDrivesACountNegative() {
        List<Server> s = servers(2);
        PowerOfTwoChoices p2c = balancer(s, null);
        p2c.record(s.get(0), 200, 1);
        p2c.record(new Server("x", URI.create("http://127.0.0.1:1"), 1, null), 502, 1);
        assertArrayEquals(new int[] {0, 0}, p2c.inFlight());
    }

    @Test
    void concurrentPicksAndRecordsFromManyThreadsBalanceBackToZero() throws Exception {
        List<Server> s = servers(5);
        PowerOfTwoChoices p2c = balancer(s, null);
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < 50_000; i++) {
                        Server a = p2c.pick(null);
                        Server b = p2c.pick(null);
                        p2c.record(a, 200, 1);
                        p2c.record(b, 200, 1);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertArrayEquals(new int[5], p2c.inFlight());
    }
}
