package dev.switchboard.plugins.balancers;

import static dev.switchboard.plugins.balancers.Fixtures.build;
import static dev.switchboard.plugins.balancers.Fixtures.servers;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.balance.Balancer;
import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.model.Server;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * drr on an injected clock: traffic is simulated at a fixed rate, each request picked by the balancer and its
 * outcome recorded, as the kernel does.
 */
class DynamicRoundRobinTest {
    private static final long SECOND = 1_000_000_000L;
    private static final int REQUESTS_PER_SECOND = 2000;

    private final AtomicLong now = new AtomicLong(1_000 * SECOND);
    private final DynamicRoundRobinFactory factory = new DynamicRoundRobinFactory(now::get);

    /** Runs traffic for {@code seconds}; {@code failing} says whether server index i answers 500. */
    private void traffic(Balancer b, double seconds, IntPredicate failing, long latencyA, long latencyB) {
        long requests = (long) (seconds * REQUESTS_PER_SECOND);
        for (long r = 0; r < requests; r++) {
            Server s = b.pick(null);
            int i = s.name().charAt(0) - 'A';
            b.record(s, failing.test(i) ? 500 : 200, i == 0 ? latencyA : latencyB);
            now.addAndGet(SECOND / REQUESTS_PER_SECOND);
        }
    }

    private void traffic(Balancer b, double seconds, IntPredicate failing) {
        traffic(b, seconds, failing, 1_000_000, 1_000_000);
    }

    @Test
    void healthyServerGrowsFourfoldEveryBackoffWhileTheOtherFailsThenConvergesBackAfterItHeals()
            throws ConfigException {
        Balancer b = build(factory, servers(1, 1), Map.of(), null, false);
        IntPredicate bFails = i -> i == 1;
        traffic(b, 8, bFails);
        assertArrayEquals(new int[] {1, 1}, b.weights(), "meters not ready before 10 buckets");
        // Expected A weight at the middle of each 10 s backoff period (first adjustment when ready, ~9 s).
        int[] growth = {4, 16, 64, 256, 1024, 4096, 4096};
        traffic(b, 4, bFails);
        for (int expected : growth) {
            assertArrayEquals(new int[] {expected, 1}, b.weights(), "A grows x4 per backoff, B stays 1");
            traffic(b, 10, bFails);
        }
        // B heals at ~t=82: its errors leave the 10 s window by ~t=92, then A converges back /4 per backoff.
        traffic(b, 12, i -> false);
        int[] convergence = {1024, 256, 64, 16, 4, 1, 1};
        for (int expected : convergence) {
            assertArrayEquals(new int[] {expected, 1}, b.weights(), "A converges /4 per backoff");
            traffic(b, 10, i -> false);
        }
    }

    @Test
    void equallyFailingServersKeepTheirWeights() throws ConfigException {
        Balancer b = build(factory, servers(2, 1, 1), Map.of(), null, false);
        traffic(b, 40, i -> true);
        assertArrayEquals(new int[] {2, 1, 1}, b.weights());
    }

    @Test
    void growthIsCappedAt4096AndNormalisedByGcd() throws ConfigException {
        Balancer b = build(factory, servers(3, 3, 3), Map.of(), null, false);
        traffic(b, 12, i -> i == 2);
        // A and B (good) x4 = 12, C stays 3, divided by gcd 3.
        assertArrayEquals(new int[] {4, 4, 1}, b.weights());
        traffic(b, 120, i -> i == 2);
        assertArrayEquals(new int[] {4096, 4096, 1}, b.weights());
    }

    @Test
    void learnedWeightsSurviveAHealthFlap() throws ConfigException {
        List<Server> s = servers(1, 1, 1);
        Balancer b = build(factory, s, Map.of(), null, false);
        traffic(b, 22, i -> i == 2);
        assertArrayEquals(new int[] {16, 16, 1}, b.weights());
        b.setAvailable(s.get(1), false);
        traffic(b, 1, i -> i == 2);
        b.setAvailable(s.get(1), true);
        assertEquals(16, b.weights()[1], "B keeps its learned weight (oxy reset every weight here)");
    }

    @Test
    void learnedWeightsSurviveAReloadWithTheSameServers() throws ConfigException {
        Balancer first = build(factory, servers(1, 1), Map.of(), null, false);
        traffic(first, 12, i -> i == 1);
        assertArrayEquals(new int[] {4, 1}, first.weights());
        Balancer second = build(factory, servers(1, 1), Map.of(), first, false);
        assertArrayEquals(new int[] {4, 1}, second.weights());
        traffic(second, 10, i -> i == 1);
        assertArrayEquals(new int[] {16, 1}, second.weights(), "backoff and meters carried over too");
    }

    @Test
    void serverSetChangeResetsToTheConfiguredWeights() throws ConfigException {
        Balancer first = build(factory, servers(1, 1), Map.of(), null, false);
        traffic(first, 12, i -> i == 1);
        assertArrayEquals(new int[] {4, 1}, first.weights());
        Balancer added = build(factory, servers(1, 1, 2), Map.of(), first, false);
        assertArrayEquals(new int[] {1, 1, 2}, added.weights());
        Balancer reweighted = build(factory, servers(1, 3), Map.of(), first, false);
        assertArrayEquals(new int[] {1, 3}, reweighted.weights());
    }

    @Test
    void singleServerInRotationIsNeverRebalanced() throws ConfigException {
        List<Server> s = servers(1, 1);
        Balancer b = build(factory, s, Map.of(), null, false);
        b.setAvailable(s.get(1), false);
        traffic(b, 30, i -> true);
        assertArrayEquals(new int[] {1, 1}, b.weights());
    }

    @Test
    void latencyOptionMovesTrafficAwayFromASlowServer() throws ConfigException {
        Balancer withLatency = build(factory, servers(1, 1), Map.of("latency", true), null, false);
        traffic(withLatency, 12, i -> false, 2_000_000, 80_000_000);
        assertArrayEquals(new int[] {4, 1}, withLatency.weights());

        Balancer withoutLatency = build(factory, servers(1, 1), Map.of(), null, false);
        traffic(withoutLatency, 12, i -> false, 2_000_000, 80_000_000);
        assertArrayEquals(new int[] {1, 1}, withoutLatency.weights(), "oxy rates by 5xx only");
    }

    @Test
    void latencyDifferencesBelowOneMillisecondAreNotOutliers() throws ConfigException {
        Balancer b = build(factory, servers(1, 1), Map.of("latency", true), null, false);
        traffic(b, 30, i -> false, 100_000, 900_000);
        assertArrayEquals(new int[] {1, 1}, b.weights());
    }

    @Test
    void errorRatioUsesOnlyTheLastTenSeconds() {
        ServerMeter m = new ServerMeter(0);
        for (int sec = 0; sec < 5; sec++) {
            m.record(sec * SECOND, 500, 0);
        }
        for (int sec = 5; sec < 15; sec++) {
            m.record(sec * SECOND, 200, 0);
        }
        // oxy's rolling counter kept some of the errors of seconds 0-4 here (reference §5.4).
        assertEquals(0.0, m.rating(14 * SECOND + SECOND / 2));
        assertEquals(0.0, m.rating(60 * SECOND), "no data: ratio 0");
        m.record(60 * SECOND, 502, 0);
        m.record(60 * SECOND, 200, 0);
        assertEquals(0.5, m.rating(60 * SECOND));
        assertTrue(m.isReady());
    }

    @Test
    void meterIsReadyAfterTenBucketChangesAcrossBothCounters() {
        ServerMeter m = new ServerMeter(0);
        for (int sec = 0; sec < 9; sec++) {
            m.record(sec * SECOND, 200, 0);
        }
        assertEquals(false, m.isReady());
        m.record(9 * SECOND, 200, 0);
        assertEquals(true, m.isReady());
    }

    @Test
    void outlierSplitFollowsOxy() {
        assertArrayEquals(new boolean[] {false, true}, Outliers.bad(new double[] {0, 1}, 1.5, 0));
        assertArrayEquals(new boolean[] {false, false, false}, Outliers.bad(new double[] {0.1, 0.1, 0.1}, 1.5, 0));
        assertArrayEquals(new boolean[] {false, false, false, true},
                Outliers.bad(new double[] {0.1, 0.1, 0.12, 0.9}, 1.5, 0));
        assertArrayEquals(new boolean[] {false, false}, Outliers.bad(new double[] {0.5, 0.5}, 1.5, 0));
    }

    @Test
    void unknownOptionIsRefused() {
        assertThrows(() -> build(factory, servers(1), Map.of("smooth", true), null, false));
    }

    private static void assertThrows(org.junit.jupiter.api.function.Executable e) {
        ConfigException x = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, e);
        assertTrue(x.getMessage().contains("unknown option(s) [smooth] for method drr (known: [latency])"),
                x.getMessage());
    }
}
