package dev.switchboard.kernel.breaker;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread ({@code switchboard-breakers}) that keeps circuit breakers off the event loops' request path:
 *
 * <ul>
 * <li>as the breakers' {@code checkExecutor} ({@link #execute}), it evaluates a condition when an outcome recorded on
 *     a loop made a check due: the loop only claims the check (one CAS) and queues it here, at most once per check
 *     period per breaker;</li>
 * <li>every tick it calls {@link CircuitBreaker#tick} on each breaker of the serving configuration, so that a quiet
 *     backend leaves Tripped and Recovering on time and a due check runs without traffic. The tick period is the
 *     smallest {@code checkPeriod} among those breakers, bounded to [{@link #MIN_TICK}, {@link #MAX_TICK}].</li>
 * </ul>
 *
 * <p>Never blocks a loop: {@link #execute} only enqueues. After {@link #close()} it refuses work, which the breaker
 * handles by letting a later outcome retry the check. Thread-safe.
 */
public final class BreakerScheduler implements Executor, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BreakerScheduler.class);
    /** Ticks are never closer than this, whatever a breaker's check period. */
    public static final Duration MIN_TICK = Duration.ofMillis(10);
    /** Ticks are never further apart than this: oxy's default check period. */
    public static final Duration MAX_TICK = Duration.ofMillis(100);

    private final ScheduledExecutorService thread;
    private volatile Supplier<? extends Collection<CircuitBreaker>> breakers = List::of;
    private volatile boolean started;

    public BreakerScheduler() {
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switchboard-breakers");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts ticking the breakers {@code breakers} supplies (read again at every tick: the serving configuration's).
     * Once; any thread.
     */
    public synchronized void start(Supplier<? extends Collection<CircuitBreaker>> breakers) {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        this.breakers = breakers;
        schedule(MAX_TICK.toNanos());
    }

    /** Runs a breaker's condition check on this object's thread. Any thread; never blocks. */
    @Override
    public void execute(Runnable check) {
        thread.execute(() -> {
            try {
                check.run();
            } catch (RuntimeException e) {
                LOG.warn("a circuit-breaker check failed", e);
            }
        });
    }

    private void schedule(long nanos) {
        try {
            thread.schedule(this::tick, nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("breaker scheduler closed; no more ticks");
        }
    }

    private void tick() {
        long period = MAX_TICK.toNanos();
        try {
            long now = System.nanoTime();
            for (CircuitBreaker b : breakers.get()) {
                try {
                    b.tick(now);
                } catch (RuntimeException e) {
                    LOG.warn("circuit breaker of backend {}: tick failed", b.backend(), e);
                }
                period = Math.min(period, b.settings().checkPeriod().toNanos());
            }
        } catch (RuntimeException e) {
            LOG.warn("listing the circuit breakers to tick failed", e);
        }
        schedule(Math.max(period, MIN_TICK.toNanos()));
    }

    /** Stops the thread; queued checks are dropped. Idempotent. */
    @Override
    public void close() {
        thread.shutdownNow();
    }
}
