package dev.switchboard.kernel.breaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.kernel.breaker.CircuitBreaker.State;
import dev.switchboard.kernel.testing.Poll;
import dev.switchboard.spi.config.ConfigException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class BreakerSchedulerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static CircuitBreaker breaker(BreakerScheduler scheduler, Set<String> checkThreads, boolean trips)
            throws ConfigException {
        BreakerSettings settings = BreakerSettings.parse(Map.of("fallbackDuration", "100ms",
                "recoveryDuration", "100ms", "checkPeriod", "10ms"), "backends.b.circuitBreaker", null);
        return CircuitBreaker.builder("b", m -> {
                    checkThreads.add(Thread.currentThread().getName());
                    return trips;
                })
                .settings(settings).stripes(2).checkExecutor(scheduler).build();
    }

    @Test
    void conditionIsEvaluatedOnTheSchedulerThreadNotOnTheRecordingThread() throws Exception {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        try (BreakerScheduler scheduler = new BreakerScheduler()) {
            CircuitBreaker b = breaker(scheduler, threads, true);
            b.onOutcome(1, 502, 1_000, System.nanoTime());
            Poll.until(() -> b.state() == State.TRIPPED, TIMEOUT, "the check queued by the outcome to trip");
            assertEquals(Set.of("switchboard-breakers"), threads);
        }
    }

    @Test
    void ticksCarryAQuietBackendThroughTrippedAndRecoveringBackToStandby() throws Exception {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        try (BreakerScheduler scheduler = new BreakerScheduler()) {
            CircuitBreaker b = breaker(scheduler, threads, true);
            b.onOutcome(0, 502, 1_000, System.nanoTime());
            Poll.until(() -> b.state() == State.TRIPPED, TIMEOUT, "the trip");
            CircuitBreaker quiet = breaker(scheduler, threads, false);
            // Same state from here on, as after a reload: only ticks (no request, no outcome) move it.
            CircuitBreaker carried = CircuitBreaker.builder("b", m -> false)
                    .settings(b.settings()).stripes(2).checkExecutor(scheduler).carryOver(b).build();
            scheduler.start(() -> List.of(carried, quiet));
            Poll.until(() -> carried.transitionsInto(State.RECOVERING) == 1, TIMEOUT, "Recovering by a tick");
            Poll.until(() -> carried.state() == State.STANDBY, TIMEOUT, "Standby by a tick");
            assertEquals(1, carried.transitionsInto(State.TRIPPED));
            assertEquals(State.STANDBY, quiet.state());
            assertTrue(threads.contains("switchboard-breakers"));
        }
    }
}
