package dev.switchboard.kernel.breaker;

import dev.switchboard.kernel.breaker.CircuitBreaker.Decision;
import dev.switchboard.kernel.breaker.CircuitBreaker.State;
import dev.switchboard.kernel.breaker.CircuitBreaker.Transition;
import dev.switchboard.spi.breaker.TripCondition;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.helpers.MessageFormatter;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CircuitBreakerTest {

    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;
    /** An arbitrary, negative origin: System.nanoTime may be anywhere. */
    private static final long T0 = -123_456_789_000L;

    private static final TripCondition NETWORK_ERRORS_OVER_HALF = m -> m.networkErrorRatio() > 0.5;

    private final List<String> logLines = new ArrayList<>();
    private final List<Transition> transitions = new ArrayList<>();

    private CircuitBreaker.Builder breaker(TripCondition condition) {
        return CircuitBreaker.builder("api", condition).expression("NetworkErrorRatio() > 0.5")
                .logger(recordingLogger()).listener(transitions::add).stripes(2);
    }

    /** An SLF4J logger that keeps "LEVEL message" lines. */
    private Logger recordingLogger() {
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> {
                    String name = method.getName();
                    if ((name.equals("info") || name.equals("warn") || name.equals("error"))
                            && args != null && args[0] instanceof String format) {
                        Object[] rest = args.length == 2 && args[1] instanceof Object[] a ? a
                                : java.util.Arrays.copyOfRange(args, 1, args.length);
                        logLines.add(name.toUpperCase() + " " + MessageFormatter.arrayFormat(format, rest).getMessage());
                        return null;
                    }
                    if (name.startsWith("is") && method.getReturnType() == boolean.class) {
                        return true;
                    }
                    if (name.equals("getName")) {
                        return "test";
                    }
                    return method.getReturnType() == boolean.class ? false : null;
                });
    }

    /** n requests through the breaker at {@code now}; admitted ones answer {@code status}. Returns how many went through. */
    private static int traffic(CircuitBreaker b, long now, int n, int status) {
        int admitted = 0;
        for (int i = 0; i < n; i++) {
            if (b.admit(now) == Decision.ADMIT) {
                admitted++;
                b.onOutcome(i & 1, status, 10 * MS, now);
            }
        }
        return admitted;
    }

    @Test
    void healthyBackendStaysInStandbyAndAdmitsEverything() {
        CircuitBreaker b = breaker(NETWORK_ERRORS_OVER_HALF).build();
        for (int s = 0; s < 30; s++) {
            assertEquals(50, traffic(b, T0 + s * S, 50, 200));
        }
        assertEquals(State.STANDBY, b.state());
        assertTrue(logLines.isEmpty());
        assertEquals(0, b.transitionsInto(State.TRIPPED));
    }

    @Test
    void conditionTrueTripsAndEveryRequestGetsTheFallbackForTheWholeFallbackDuration() {
        CircuitBreaker b = breaker(NETWORK_ERRORS_OVER_HALF).build();
        assertEquals(1, traffic(b, T0, 1, 502), "no minimum volume by default: the first failure can trip (oxy)");
        assertEquals(State.TRIPPED, b.state());
        for (long t = T0; t < T0 + 10 * S; t += 250 * MS) {
            assertEquals(Decision.FALLBACK, b.admit(t), "still tripped at +" + (t - T0) / MS + " ms");
        }
        assertEquals(Decision.FALLBACK, b.admit(T0 + 10 * S - 1));
        assertEquals(State.TRIPPED, b.state());
        assertEquals(503, b.fallback().status());
        assertEquals("Service Unavailable", b.fallback().body());
    }

    @Test
    void recoveryRampAdmitsOxysVerifiedSharesSecondBySecondThenReturnsToStandby() {
        CircuitBreaker b = breaker(NETWORK_ERRORS_OVER_HALF).build();
        traffic(b, T0, 1, 502);
        long recoveryStart = T0 + 10 * S;
        assertEquals(0, traffic(b, recoveryStart, 100, 200), "the ramp starts at 0 %");
        assertEquals(State.RECOVERING, b.state());
        int[] expected = {9, 20, 30, 40, 50, 60, 71, 79, 90, 100}; // reference §5.5, from oxy with a frozen clock
        int[] actual = new int[10];
        for (int k = 1; k <= 10; k++) {
            actual[k - 1] = traffic(b, recoveryStart + k * S, 100, 200);
        }
        assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(actual));
        assertEquals(State.RECOVERING, b.state(), "exactly at the end of the recovery it is still recovering");
        assertEquals(100, traffic(b, recoveryStart + 11 * S, 100, 200));
        assertEquals(State.STANDBY, b.state());
        assertEquals(List.of(State.TRIPPED, State.RECOVERING, State.STANDBY),
                transitions.stream().map(Transition::to).toList());
    }

    @Test
    void failingAgainWhileRecoveringTripsAgain() {
        CircuitBreaker b = breaker(NETWORK_ERRORS_OVER_HALF).build();
        traffic(b, T0, 1, 502);
        long recoveryStart = T0 + 10 * S;
        traffic(b, recoveryStart, 100, 200);
        assertTrue(traffic(b, recoveryStart + 2 * S, 100, 502) > 0, "some requests got through to fail");
        assertEquals(State.TRIPPED, b.state());
        assertEquals(Decision.FALLBACK, b.admit(recoveryStart + 2 * S + 9 * S));
        assertEquals(2, b.transitionsInto(State.TRIPPED));
        assertEquals(State.RECOVERING, transitions.get(2).from());
        assertTrue(logLines.get(2).startsWith("WARN Circuit breaker of backend api tripped again while recovering"),
                logLines.get(2));
    }

    @Test
    void conditionIsEvaluatedAtMostOncePerCheckPeriod() {
        AtomicInteger evaluations = new AtomicInteger();
        CircuitBreaker b = breaker(m -> {
            evaluations.incrementAndGet();
            return false;
        }).build();
        for (long t = 0; t < 1000; t++) { // 1000 outcomes over 1 s, one every ms
            b.admit(T0 + t * MS);
            b.onOutcome(0, 200, MS, T0 + t * MS);
        }
        // checks at 0, then at the first instant strictly after each previous check + 100 ms: 0, 101, 202, ... 909
        assertEquals(10, evaluations.get());
    }

    @Test
    void failuresBetweenChecksTripOnlyAtTheNextCheck() {
        CircuitBreaker b = breaker(NETWORK_ERRORS_OVER_HALF).build();
        traffic(b, T0, 1, 200); // check at T0: healthy
        traffic(b, T0 + 50 * MS, 10, 502);
        assertEquals(State.STANDBY, b.state(), "no check before T0 + 100 ms");
        traffic(b, T0 + 100 * MS + 1, 1, 502);
        assertEquals(State.TRIPPED, b.state());
    }

    @Test
    void tripResetsTheMetricsSoRecoveryJudgesOnlyNewOutcomes() {
        CircuitBreaker b = breaker(NETWORK_ERRORS_OVER_HALF).build();
        traffic(b, T0, 20, 200);
        traffic(b, T0 + 50 * MS, 30, 502); // no check due yet
        traffic(b, T0 + 200 * MS, 1, 502);
        assertEquals(State.TRIPPED, b.state());
        assertEquals(0, b.metrics().snapshot(T0 + 200 * MS).requestCount());
        assertEquals(0.0, b.metrics().snapshot(T0 + 200 * MS).networkErrorRatio());
        Transition trip = transitions.get(0);
        assertEquals(51, trip.metrics().requestCount(), "the window that caused the trip: 20 ok + 31 failed");
    }

    @Test
    void minRequestsHoldsTheConditionBackUntilTheWindowHasEnoughVolume() {
        BreakerSettings settings = new BreakerSettings(Duration.ofSeconds(10), Duration.ofSeconds(10),
                Duration.ofMillis(100), Duration.ofSeconds(10), 20, BreakerSettings.Fallback.DEFAULT);
        CircuitBreaker b = breaker(NETWORK_ERRORS_OVER_HALF).settings(settings).build();
        for (int i = 0; i < 19; i++) {
            traffic(b, T0 + i * 200 * MS, 1, 502);
        }
        assertEquals(State.STANDBY, b.state(), "19 failures in the window, 20 needed");
        traffic(b, T0 + 19 * 200 * MS, 1, 502);
        assertEquals(State.TRIPPED, b.state());
    }

    @Test
    void eachTransitionIsLoggedOnceWithBackendAndMetricsNeverPerRequest() {
        CircuitBreaker b = breaker(NETWORK_ERRORS_OVER_HALF).build();
        traffic(b, T0, 4, 200);
        traffic(b, T0 + 50 * MS, 5, 502);
        traffic(b, T0 + 200 * MS, 1, 502);
        for (int i = 0; i < 1000; i++) {
            b.admit(T0 + 300 * MS + i * MS); // tripped: 1000 fallbacks
        }
        traffic(b, T0 + 200 * MS + 10 * S, 100, 200);
        traffic(b, T0 + 200 * MS + 15 * S, 100, 200);
        traffic(b, T0 + 200 * MS + 21 * S, 100, 200);
        assertEquals(State.STANDBY, b.state());
        assertEquals(3, logLines.size(), String.join("\n", logLines));
        assertEquals("WARN Circuit breaker of backend api tripped: `NetworkErrorRatio() > 0.5` is true with "
                        + "networkErrorRatio=0.600 responseCodeRatio(500,600,0,600)=0.600 p50=10ms p99=10ms "
                        + "requests=10; clients get status 503 for 10s", logLines.get(0));
        assertEquals("INFO Circuit breaker of backend api recovering after 10s tripped: admitting a share of requests "
                + "that ramps from 0 to 100% over 10s", logLines.get(1));
        assertTrue(logLines.get(2).startsWith("INFO Circuit breaker of backend api back to standby"), logLines.get(2));
        assertTrue(logLines.get(2).contains("requests="), logLines.get(2));
        assertEquals(1, b.transitionsInto(State.TRIPPED));
        assertEquals(1, b.transitionsInto(State.RECOVERING));
        assertEquals(1, b.transitionsInto(State.STANDBY));
    }

    @Test
    void tickMovesAQuietBackendThroughRecoveryWithoutRequests() {
        CircuitBreaker b = breaker(NETWORK_ERRORS_OVER_HALF).build();
        traffic(b, T0, 1, 502);
        b.tick(T0 + 5 * S);
        assertEquals(State.TRIPPED, b.state());
        b.tick(T0 + 10 * S);
        assertEquals(State.RECOVERING, b.state());
        b.tick(T0 + 20 * S + 1);
        assertEquals(State.STANDBY, b.state());
    }

    @Test
    void checksCanRunOnAnExecutorOffTheRequestPath() {
        List<Runnable> queued = new ArrayList<>();
        CircuitBreaker b = breaker(NETWORK_ERRORS_OVER_HALF).checkExecutor(queued::add).build();
        traffic(b, T0, 5, 502);
        assertEquals(State.STANDBY, b.state(), "the loop only queued the check");
        assertEquals(1, queued.size());
        queued.get(0).run();
        assertEquals(State.TRIPPED, b.state());
    }

    @Test
    void outcomeOfARequestInFlightWhenTheBreakerTrippedDoesNotTripTheRecoveryAgain() {
        List<Runnable> queued = new ArrayList<>();
        CircuitBreaker b = breaker(NETWORK_ERRORS_OVER_HALF).checkExecutor(queued::add).build();
        traffic(b, T0, 1, 502); // makes a check due; it waits in the executor
        assertEquals(Decision.ADMIT, b.admit(T0 + MS), "admitted before the queued check ran");
        queued.get(0).run();
        assertEquals(State.TRIPPED, b.state());
        b.onOutcome(0, 502, 5 * MS, T0 + 6 * MS); // its answer comes after the trip
        assertEquals(0, b.metrics().snapshot(T0 + 6 * MS).requestCount(), "the trip's clean window stays clean");

        assertEquals(Decision.FALLBACK, b.admit(T0 + 10 * S), "Recovering: the ramp starts at 0");
        assertEquals(State.RECOVERING, b.state());
        b.onOutcome(1, 502, 2 * S, T0 + 10 * S + MS); // admitted 2 s before the recovery: before the trip too
        b.tick(T0 + 10 * S + 200 * MS);
        queued.subList(1, queued.size()).forEach(Runnable::run); // the checks queued since the trip
        assertEquals(State.RECOVERING, b.state(), "only outcomes admitted since the trip judge the recovery");
        assertEquals(1, b.transitionsInto(State.TRIPPED));
    }

    @Test
    void conditionThatThrowsCountsAsFalseAndIsLoggedOnce() {
        CircuitBreaker b = breaker(m -> {
            throw new IllegalStateException("boom");
        }).build();
        for (int i = 0; i < 20; i++) {
            traffic(b, T0 + i * 200 * MS, 5, 502);
        }
        assertEquals(State.STANDBY, b.state());
        assertEquals(1, logLines.size());
        assertTrue(logLines.get(0).contains("backend api") && logLines.get(0).contains("boom"), logLines.get(0));
    }

    @Test
    void configuredFallbackDurationsAndRecoveryAreHonoured() {
        BreakerSettings settings = new BreakerSettings(Duration.ofMillis(500), Duration.ofSeconds(1),
                Duration.ofMillis(10), Duration.ofSeconds(1), 0, BreakerSettings.Fallback.redirect("https://x.test/"));
        CircuitBreaker b = breaker(NETWORK_ERRORS_OVER_HALF).settings(settings).build();
        traffic(b, T0, 1, 502);
        assertEquals(Decision.FALLBACK, b.admit(T0 + 499 * MS));
        assertEquals(302, b.fallback().status());
        assertEquals(0, traffic(b, T0 + 500 * MS, 10, 200));
        assertEquals(State.RECOVERING, b.state());
        assertTrue(traffic(b, T0 + 1000 * MS, 100, 200) > 0);
        assertEquals(100, traffic(b, T0 + 1501 * MS, 100, 200));
        assertEquals(State.STANDBY, b.state());
    }

    @Test
    void carryOverKeepsATrippedBreakerTrippedAndItsWindowAcrossAReload() {
        CircuitBreaker before = breaker(NETWORK_ERRORS_OVER_HALF).build();
        traffic(before, T0, 1, 502);
        CircuitBreaker after = breaker(m -> false).carryOver(before).build();
        assertEquals(State.TRIPPED, after.state());
        assertEquals(Decision.FALLBACK, after.admit(T0 + S));
        assertSame(before.metrics(), after.metrics(), "same window shape: the window is shared");
        assertEquals(1, after.transitionsInto(State.TRIPPED));
        after.admit(T0 + 10 * S);
        assertEquals(State.RECOVERING, before.state(), "an old generation still in flight sees the same state");
        assertEquals(1, after.transitionsInto(State.RECOVERING));
    }

    @Test
    void carryOverWithAnotherWindowKeepsTheStateButStartsANewWindow() {
        CircuitBreaker before = breaker(NETWORK_ERRORS_OVER_HALF).build();
        traffic(before, T0, 1, 200);
        BreakerSettings wider = new BreakerSettings(Duration.ofSeconds(10), Duration.ofSeconds(10),
                Duration.ofMillis(100), Duration.ofSeconds(20), 0, BreakerSettings.Fallback.DEFAULT);
        CircuitBreaker after = breaker(NETWORK_ERRORS_OVER_HALF).settings(wider).carryOver(before).build();
        assertNotNull(after.metrics());
        assertTrue(after.metrics() != before.metrics());
        assertEquals(Duration.ofSeconds(20), after.metrics().window());
        assertEquals(State.STANDBY, after.state());
    }

    @Test
    void loopsAdmittingConcurrentlyDuringRecoveryShareOneExactRamp() throws Exception {
        CircuitBreaker b = breaker(NETWORK_ERRORS_OVER_HALF).build();
        traffic(b, T0, 1, 502);
        long recoveryStart = T0 + 10 * S;
        b.admit(recoveryStart); // enters Recovering (denied)
        long halfway = recoveryStart + 5 * S; // target ratio 0.25
        int perThread = 50_000;
        int[] admitted = new int[2];
        Thread[] loops = new Thread[2];
        for (int t = 0; t < 2; t++) {
            int loop = t;
            loops[t] = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    if (b.admit(halfway) == Decision.ADMIT) {
                        admitted[loop]++;
                    }
                }
            });
            loops[t].start();
        }
        for (Thread t : loops) {
            t.join();
        }
        int total = admitted[0] + admitted[1];
        // the cumulative ratio stays just under the target: (allowed + 1) / (all + 1) < 0.25
        assertTrue(Math.abs(total - 0.25 * (2 * perThread + 1)) <= 1, "admitted " + total);
        b.admit(recoveryStart + 10 * S + 1); // to Standby: the log gives the ramp's own counts
        assertTrue(logLines.get(2).contains("(" + total + " admitted, " + (2 * perThread + 1 - total)
                + " given the fallback)"), logLines.get(2));
    }

    @Test
    void admitInStandbyAllocatesNothing() {
        CircuitBreaker b = breaker(m -> false).build();
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        for (int i = 0; i < 20_000; i++) { // warm up (JIT)
            b.admit(T0 + i * 100_000L);
            b.metrics().record(0, 200, MS, T0 + i * 100_000L);
        }
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 100_000; i++) { // 10 s: every bucket is rolled over
            b.admit(T0 + i * 100_000L);
            b.metrics().record(i & 1, i % 7 == 0 ? 502 : 200, i * 1000L, T0 + i * 100_000L);
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        assertTrue(allocated < 4096, "admit + record allocated " + allocated + " bytes for 100 000 requests");
    }
}
