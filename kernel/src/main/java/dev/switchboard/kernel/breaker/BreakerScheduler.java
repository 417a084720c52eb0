package dev.switchboard.kernel.breaker;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread ({@code switchboard-breakers}) that keeps circuit breakers off the event loops' request path:
 *
 * <ul>
 * <li>as the breakers' {@code checkExecutor} ({@link #execute}), it evaluates a condition when an outcome recorded on
 *     a loop made a check due: the loop only claims the check (one CAS in the breaker) and hands it over here, at
 *     most once per check period per breaker;</li>
 * <li>every tick it calls {@link CircuitBreaker#tick} on each breaker of the serving configuration, so that a quiet
 *     backend leaves Tripped and Recovering on time and a due check runs without traffic. The tick period is the
 *     smallest {@code checkPeriod} among those breakers, bounded to [{@link #MIN_TICK}, {@link #MAX_TICK}].</li>
 * </ul>
 *
 * <p>Never blocks a loop: {@link #execute} appends to a lock-free queue and unparks this thread (no executor lock
 * a loop could wait on). After {@link #close()} it refuses work, which the breaker handles by letting a later
 * outcome retry the check. Thread-safe.
 */
public final class BreakerScheduler implements Executor, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BreakerScheduler.class);
    /** Ticks are never closer than this, whatever a breaker's check period. */
    public static final Duration MIN_TICK = Duration.ofMillis(10);
    /** Ticks are never further apart than this: oxy's default check period. */
    public static final Duration MAX_TICK = Duration.ofMillis(100);

    private final ConcurrentLinkedQueue<Runnable> checks = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile Supplier<? extends Collection<CircuitBreaker>> breakers = List::of;
    private volatile boolean running = true;
    private boolean started;

    /** Starts the thread; it runs handed-over checks at once, and ticks once {@link #start} names the breakers. */
    public BreakerScheduler() {
        this.thread = new Thread(this::run, "switchboard-breakers");
        this.thread.setDaemon(true);
        this.thread.start();
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
        LockSupport.unpark(thread);
    }

    /** Runs a breaker's condition check on this object's thread, soon. Any thread; never blocks. */
    @Override
    public void execute(Runnable check) {
        if (!running) {
            throw new RejectedExecutionException("the breaker scheduler is closed");
        }
        checks.add(check);
        LockSupport.unpark(thread);
    }

    private void run() {
        long nextTick = System.nanoTime();
        while (running) {
            Runnable check;
            while (running && (check = checks.poll()) != null) {
                try {
                    check.run();
                } catch (RuntimeException e) {
                    LOG.warn("a circuit-breaker check failed", e);
                }
            }
            long now = System.nanoTime();
            if (now - nextTick >= 0) {
                nextTick = now + tick(now);
            }
            if (checks.isEmpty()) {
                LockSupport.parkNanos(this, nextTick - System.nanoTime()); // returns early on execute or close
            }
        }
    }

    /** Ticks every breaker; returns the nanoseconds until the next tick. */
    private long tick(long now) {
        long period = MAX_TICK.toNanos();
        try {
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
        return Math.max(period, MIN_TICK.toNanos());
    }

    /** Stops the thread; checks not run yet are dropped. Idempotent. */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
    }
}
