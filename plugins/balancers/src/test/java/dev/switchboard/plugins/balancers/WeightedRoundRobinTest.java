package dev.switchboard.plugins.balancers;

import static dev.switchboard.plugins.balancers.Fixtures.build;
import static dev.switchboard.plugins.balancers.Fixtures.picks;
import static dev.switchboard.plugins.balancers.Fixtures.servers;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.balance.Balancer;
import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.model.Server;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WeightedRoundRobinTest {
    private final WeightedRoundRobinFactory factory = new WeightedRoundRobinFactory();

    @ParameterizedTest(name = "weights {0} -> {1} repeating")
    @CsvSource(delimiter = '|', textBlock = """
            10,1  | AAAAAAAAAAB
            1,2   | BAB
            2,3   | BABAB
            3,2,1 | AABABC
            0,1   | AB
            1,1,1 | ABC
            """)
    void referenceSequencesOfOxyRepeat(String weights, String cycle) throws ConfigException {
        Balancer b = build(factory, servers(parse(weights)), Map.of(), null, false);
        assertEquals(cycle.repeat(3), picks(b, cycle.length() * 3));
    }

    @Test
    void weightZeroWithAllowMinWeightZeroIsNeverPicked() throws ConfigException {
        Balancer b = build(factory, servers(0, 1), Map.of(), null, true);
        assertEquals("BBBB", picks(b, 4));
    }

    @Test
    void allWeightsZeroWithAllowMinWeightZeroGivesNoServer() throws ConfigException {
        Balancer b = build(factory, servers(0, 0), Map.of(), null, true);
        assertNull(b.pick(null));
    }

    @Test
    void noServerAvailableGivesNoServerAndRecoveryResumes() throws ConfigException {
        List<Server> s = servers(1, 1);
        Balancer b = build(factory, s, Map.of(), null, false);
        b.setAvailable(s.get(0), false);
        b.setAvailable(s.get(1), false);
        assertNull(b.pick(null));
        b.setAvailable(s.get(1), true);
        assertEquals("BBB", picks(b, 3));
    }

    @Test
    void serverOutOfRotationIsSkippedAndItsWeightIsKeptWhenItReturns() throws ConfigException {
        List<Server> s = servers(3, 2, 1);
        Balancer b = build(factory, s, Map.of(), null, false);
        b.setAvailable(s.get(0), false);
        String without = picks(b, 30);
        assertTrue(without.chars().noneMatch(c -> c == 'A'), without);
        assertEquals(20, without.chars().filter(c -> c == 'B').count());
        b.setAvailable(s.get(0), true);
        assertArrayEquals(new int[] {3, 2, 1}, b.weights());
        String back = picks(b, 60);
        assertEquals(30, back.chars().filter(c -> c == 'A').count());
    }

    @Test
    void healthFlapDoesNotRestartTheSequenceAtTheHeaviestServer() throws ConfigException {
        List<Server> s = servers(10, 1);
        Balancer b = build(factory, s, Map.of(), null, false);
        assertEquals("AAAAAAAAA", picks(b, 9));
        b.setAvailable(s.get(1), false);
        b.setAvailable(s.get(1), true);
        // oxy would restart with ten A's; the cursor stayed at position 9.
        assertEquals("ABAAAAAAAAAAB", picks(b, 13));
    }

    @Test
    void reloadWithSameServersAndWeightsContinuesTheSequence() throws ConfigException {
        Balancer first = build(factory, servers(10, 1), Map.of(), null, false);
        assertEquals("AAAAA", picks(first, 5));
        Balancer second = build(factory, servers(10, 1), Map.of(), first, false);
        assertEquals("AAAAAB", picks(second, 6));
    }

    @Test
    void reloadKeepsAServerOutOfRotationOutUntilItIsReported() throws ConfigException {
        List<Server> s = servers(1, 1, 1);
        Balancer first = build(factory, s, Map.of(), null, false);
        first.setAvailable(s.get(1), false);
        Balancer second = build(factory, servers(1, 1, 1, 1), Map.of(), first, false);
        assertTrue(picks(second, 30).chars().noneMatch(c -> c == 'B'));
    }

    @Test
    void reloadWithChangedWeightsUsesTheNewWeights() throws ConfigException {
        Balancer first = build(factory, servers(1, 1), Map.of(), null, false);
        picks(first, 1);
        Balancer second = build(factory, servers(2, 1), Map.of(), first, false);
        String p = picks(second, 30);
        assertEquals(20, p.chars().filter(c -> c == 'A').count());
    }

    @Test
    void smoothSpreadsTheHeavyServersPicksAsNginxDoes() throws ConfigException {
        Balancer b = build(factory, servers(5, 1, 1), Map.of("smooth", true), null, false);
        assertEquals("AABACAA".repeat(2), picks(b, 14));
        Balancer c = build(factory, servers(4, 2, 1), Map.of("smooth", "true"), null, false);
        assertEquals("ABACABA", picks(c, 7));
    }

    @Test
    void unknownOptionIsRefusedNamingTheKnownOnes() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> build(factory, servers(1), Map.of("smoth", true), null, false));
        assertTrue(e.getMessage().contains("unknown option(s) [smoth] for method wrr (known: [smooth])"),
                e.getMessage());
    }

    @Test
    void smoothOptionThatIsNotABooleanIsRefused() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> build(factory, servers(1), Map.of("smooth", "yes"), null, false));
        assertTrue(e.getMessage().contains("loadBalancer.smooth: expected true or false, got 'yes'"), e.getMessage());
    }

    @Test
    void smoothCycleTooLongToStoreIsRefused() {
        assertThrows(ConfigException.class,
                () -> build(factory, servers(1_000_000, 1_000_001), Map.of("smooth", true), null, false));
    }

    @Test
    void hugeWeightsStillGiveOxySharesWithoutStoringTheCycle() throws ConfigException {
        Balancer b = build(factory, servers(1_000_000_000, 1), Map.of(), null, false);
        assertEquals("AAAA", picks(b, 4));
    }

    @Test
    void concurrentPicksOverWholeCyclesGiveExactCounts() throws Exception {
        Balancer b = build(factory, servers(5, 3, 2), Map.of(), null, false);
        int threads = 4;
        int perThread = 10 * 25_000; // cycle length 10
        Map<String, LongAdder> counts = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            workers[t] = new Thread(() -> {
                LongAdder[] local = {new LongAdder(), new LongAdder(), new LongAdder()};
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    local[b.pick(null).name().charAt(0) - 'A'].increment();
                }
                for (int k = 0; k < 3; k++) {
                    counts.computeIfAbsent(String.valueOf((char) ('A' + k)), x -> new LongAdder())
                            .add(local[k].sum());
                }
            });
            workers[t].start();
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        long cycles = (long) threads * perThread / 10;
        assertEquals(5 * cycles, counts.get("A").sum());
        assertEquals(3 * cycles, counts.get("B").sum());
        assertEquals(2 * cycles, counts.get("C").sum());
    }

    static int[] parse(String csv) {
        String[] parts = csv.split(",");
        int[] w = new int[parts.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = Integer.parseInt(parts[i].trim());
        }
        return w;
    }
}
