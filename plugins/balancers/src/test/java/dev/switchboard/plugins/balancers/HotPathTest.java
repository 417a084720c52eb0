package dev.switchboard.plugins.balancers;

import static dev.switchboard.plugins.balancers.Fixtures.build;
import static dev.switchboard.plugins.balancers.Fixtures.servers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.spi.balance.Balancer;
import dev.switchboard.spi.model.Server;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The SPI's hot-path promises: pick and record allocate nothing and are safe from many threads at once. */
class HotPathTest {
    private static final int CALLS = 200_000;

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static int[] weights(int n) {
        int[] w = new int[n];
        for (int i = 0; i < n; i++) {
            w[i] = 1 + (i * 7) % 13;
        }
        return w;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"wrr:2", "wrr:16", "wrr:256", "smooth:16", "drr:16"})
    void pickAndRecordAllocateNothing(String setup) throws Exception {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
        String[] p = setup.split(":");
        List<Server> s = servers(weights(Integer.parseInt(p[1])));
        Balancer b = switch (p[0]) {
            case "smooth" -> build(new WeightedRoundRobinFactory(), s, Map.of("smooth", true), null, false);
            case "drr" -> build(new DynamicRoundRobinFactory(), s, Map.of(), null, false);
            default -> build(new WeightedRoundRobinFactory(), s, Map.of(), null, false);
        };
        for (int i = 0; i < CALLS; i++) { // warm up: let the JIT settle
            b.record(b.pick(null), 200, 1_000_000);
        }
        long before = allocatedBytes();
        for (int i = 0; i < CALLS; i++) {
            Server picked = b.pick(null);
            b.record(picked, i % 10 == 0 ? 500 : 200, 1_000_000);
        }
        long perCall = (allocatedBytes() - before) / CALLS;
        assertEquals(0, perCall, "bytes allocated per pick+record");
    }

    @Test
    void drrUnderConcurrentPicksAndRecordsStaysConsistent() throws Exception {
        List<Server> s = servers(1, 1, 1, 1);
        Balancer b = build(new DynamicRoundRobinFactory(), s, Map.of(), null, false);
        int threads = 4;
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < 100_000; i++) {
                        Server picked = b.pick(null);
                        assertNotNull(picked);
                        b.record(picked, picked == s.get(3) ? 503 : 200, 500_000);
                        if (i % 10_000 == 0) {
                            b.setAvailable(s.get(i / 10_000 % 3), i % 20_000 == 0);
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            workers.add(w);
            w.start();
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        for (int w : b.weights()) {
            assertTrue(w >= 1 && w <= Rebalancer.MAX_WEIGHT, "weight in range: " + w);
        }
    }
}
