package dev.switchboard.kernel.breaker;

import dev.switchboard.spi.breaker.TripCondition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * One backend's circuit breaker, with oxy's behaviour (reference §5.5).
 *
 * <pre>
 *            condition true (checked at most every checkPeriod, with at least minRequests in the window)
 *   STANDBY ───────────────────────────────────────────────▶ TRIPPED ── every request gets the fallback
 *      ▲                                                        │         for fallbackDuration; metrics reset
 *      │ recoveryDuration elapsed                               │ fallbackDuration elapsed (first request
 *      │                                                        ▼ or tick after it)
 *      └──────────────────────────────────────────────────── RECOVERING ── admitted share ramps 0 → 100 %
 *                                      condition true again ──▶ TRIPPED
 * </pre>
 *
 * <h2>Threads</h2>
 * {@link #admit} and {@link #onOutcome} run on event loops, concurrently: no lock, no allocation except at a
 * transition (a few times per trip). {@link #onOutcome} records into the caller's stripe of the {@link RollingMetrics}
 * (so each loop must pass its own stripe index) and, at most once per check period for the whole breaker, starts a
 * check of the condition: on the {@code checkExecutor} if one was given (off the request path), else inline in the
 * calling thread as oxy does. {@link #tick} does the same for a caller that prefers a periodic timer, and also applies
 * the time-driven transitions on a backend that gets no requests. The condition is evaluated against one merged
 * {@link RollingMetrics.Snapshot}, never per request.
 *
 * <h2>The ramp</h2>
 * While Recovering, a request is admitted iff {@code (allowed+1)/(allowed+denied+1) < 0.5 × elapsed/recoveryDuration},
 * counts cumulative since recovery began (oxy's {@code ratioController}). At constant load the admitted fraction rises
 * linearly from 0 to 100 % over the recovery. The two counts are one CAS-updated word, so concurrent loops share them
 * exactly.
 *
 * <h2>Logs</h2>
 * Each transition is logged once, naming the backend, with the metric values that caused it (WARN for a trip, INFO
 * otherwise). Nothing is logged per request. Transition counts are kept for the API and metrics.
 *
 * <h2>Reload</h2>
 * {@link Builder#carryOver(CircuitBreaker)} makes the new breaker share the previous one's state, counts and (if the
 * window is the same) metrics, so a reload that does not change the backend neither closes an open breaker nor
 * forgets its window (Traefik v1 reset every breaker on every reload, reference §6).
 */
public final class CircuitBreaker {

    /** oxy's states. */
    public enum State { STANDBY, TRIPPED, RECOVERING }

    /** What to do with one request. */
    public enum Decision { ADMIT, FALLBACK }

    /**
     * One change of state.
     *
     * @param backend the backend's name
     * @param from    the state left
     * @param to      the state entered
     * @param atNanos when, on the breaker's clock
     * @param metrics the window that caused a trip (before the reset) or that the recovery ended with; null when
     *                leaving Tripped (nothing was recorded)
     */
    public record Transition(String backend, State from, State to, long atNanos, RollingMetrics.Snapshot metrics) {
    }

    /** Told of each transition, on the thread that made it (a loop or the check executor): must not block. */
    @FunctionalInterface
    public interface TransitionListener {
        void onTransition(Transition transition);
    }

    private static final Logger DEFAULT_LOG = LoggerFactory.getLogger(CircuitBreaker.class);
    private static final long NEVER = Long.MIN_VALUE;
    private static final long MAX_RAMP_COUNT = Integer.MAX_VALUE - 1;

    /** The state shared by a breaker and the ones that carry it over across reloads. */
    private static final class Core {
        volatile Phase phase = Phase.standby(NEVER);
        volatile long nextCheckAt = NEVER;
        final AtomicLongArray entered = new AtomicLongArray(State.values().length);
        volatile boolean conditionFailureLogged;
    }

    /** An immutable state with its times; the ramp counts of a Recovering phase are its only mutable part. */
    private static final class Phase {
        final State state;
        final long since;
        final long until;
        /** Recovering: allowed << 32 | denied. */
        volatile long ramp;

        Phase(State state, long since, long until) {
            this.state = state;
            this.since = since;
            this.until = until;
        }

        static Phase standby(long since) {
            return new Phase(State.STANDBY, since, since);
        }
    }

    private static final VarHandle PHASE;
    private static final VarHandle NEXT_CHECK;
    private static final VarHandle RAMP;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            PHASE = lookup.findVarHandle(Core.class, "phase", Phase.class);
            NEXT_CHECK = lookup.findVarHandle(Core.class, "nextCheckAt", long.class);
            RAMP = lookup.findVarHandle(Phase.class, "ramp", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String backend;
    private final String expression;
    private final TripCondition condition;
    private final BreakerSettings settings;
    private final RollingMetrics metrics;
    private final Core core;
    private final List<TransitionListener> listeners;
    private final Executor checkExecutor;
    private final Logger log;
    private final long fallbackNanos;
    private final long recoveryNanos;
    private final long checkNanos;
    private final double rampSlope;

    private CircuitBreaker(Builder b) {
        this.backend = b.backend;
        this.expression = b.expression;
        this.condition = b.condition;
        this.settings = b.settings;
        this.listeners = List.copyOf(b.listeners);
        this.checkExecutor = b.checkExecutor;
        this.log = b.log;
        this.fallbackNanos = settings.fallbackDuration().toNanos();
        this.recoveryNanos = settings.recoveryDuration().toNanos();
        this.checkNanos = settings.checkPeriod().toNanos();
        // oxy: multiplier := 0.5 / float64(duration); target = multiplier * float64(elapsed). Same operations, same
        // rounding, hence the same admitted counts.
        this.rampSlope = 0.5 / (double) recoveryNanos;
        long bucketNanos = settings.bucket().toNanos();
        CircuitBreaker previous = b.previous;
        if (previous != null) {
            this.core = previous.core;
            this.metrics = previous.metrics.sameShape(b.stripes, BreakerSettings.WINDOW_BUCKETS, bucketNanos)
                    ? previous.metrics
                    : new RollingMetrics(b.stripes, BreakerSettings.WINDOW_BUCKETS, settings.bucket(), b.nanoClock);
        } else {
            this.core = new Core();
            this.metrics = new RollingMetrics(b.stripes, BreakerSettings.WINDOW_BUCKETS, settings.bucket(),
                    b.nanoClock);
        }
    }

    /** A breaker for {@code backend} that trips when {@code condition} holds. */
    public static Builder builder(String backend, TripCondition condition) {
        return new Builder(backend, condition);
    }

    /**
     * Whether this request may go to a server ({@link Decision#ADMIT}) or gets the {@link #fallback()}. Event loop;
     * lock-free; allocates only when it moves the breaker out of Tripped or Recovering.
     */
    public Decision admit(long now) {
        while (true) {
            Phase p = core.phase;
            switch (p.state) {
                case STANDBY:
                    return Decision.ADMIT;
                case TRIPPED:
                    if (now - p.until < 0) {
                        return Decision.FALLBACK;
                    }
                    recover(p, now);
                    continue;
                default: // RECOVERING
                    if (now - p.until > 0) {
                        toStandby(p, now);
                        continue;
                    }
                    return rampAllows(p, now) ? Decision.ADMIT : Decision.FALLBACK;
            }
        }
    }

    private boolean rampAllows(Phase p, long now) {
        double target = rampSlope * (double) (now - p.since);
        while (true) {
            long packed = p.ramp;
            long allowed = packed >>> 32;
            long denied = packed & 0xffff_ffffL;
            boolean allow = (double) (allowed + 1) / (double) (denied + allowed + 1) < target;
            if (allow) {
                allowed++;
            } else {
                denied++;
            }
            if (allowed > MAX_RAMP_COUNT || denied > MAX_RAMP_COUNT) {
                allowed >>>= 1; // halving both keeps the ratio the controller steers by
                denied >>>= 1;
            }
            if (RAMP.compareAndSet(p, packed, allowed << 32 | denied)) {
                return allow;
            }
        }
    }

    /**
     * The outcome of an admitted request: recorded in the caller's stripe, then a check of the condition if one is
     * due. Event loop; lock-free.
     *
     * <p>An outcome of a request admitted before the last trip is dropped: the trip cleared the window so that the
     * recovery is judged on new outcomes only, and a request that was in flight when the breaker tripped (with checks
     * on an executor, one admitted between the outcome that made the check due and the check) would otherwise put a
     * pre-trip failure into it and trip the breaker again the moment it starts recovering. A request is admitted at
     * {@code now - latencyNanos}; nothing is admitted while Tripped.
     *
     * @param stripe       the calling loop's index (0..stripes-1); one thread per stripe
     * @param latencyNanos time from {@link #admit} to the response head
     */
    public void onOutcome(int stripe, int status, long latencyNanos, long now) {
        Phase p = core.phase;
        if (p.state == State.TRIPPED || (p.state == State.RECOVERING && now - latencyNanos - p.since < 0)) {
            return;
        }
        metrics.record(stripe, status, latencyNanos, now);
        maybeCheck(now);
    }

    /**
     * For a periodic caller (a timer every check period, say): applies the transitions that only time causes (end of
     * Tripped, end of Recovering) and checks the condition if a check is due. Any thread.
     */
    public void tick(long now) {
        Phase p = core.phase;
        if (p.state == State.TRIPPED && now - p.until >= 0) {
            recover(p, now);
        } else if (p.state == State.RECOVERING && now - p.until > 0) {
            toStandby(p, now);
        }
        maybeCheck(now);
    }

    private void maybeCheck(long now) {
        long next = core.nextCheckAt;
        // oxy: if now.After(lastCheck) { lastCheck = now + checkPeriod; evaluate }
        if (next != NEVER && now - next <= 0) {
            return;
        }
        if (!NEXT_CHECK.compareAndSet(core, next, now + checkNanos)) {
            return; // another thread claimed this check
        }
        if (checkExecutor == null) {
            check(now);
        } else {
            try {
                checkExecutor.execute(() -> check(now));
            } catch (RejectedExecutionException e) {
                NEXT_CHECK.compareAndSet(core, now + checkNanos, next); // let the next outcome try again
            }
        }
    }

    /** Evaluates the condition now and trips if it holds; the check period is the caller's business. */
    void check(long now) {
        Phase p = core.phase;
        if (p.state == State.TRIPPED) {
            return;
        }
        RollingMetrics.Snapshot window = metrics.snapshot(now);
        if (window.requestCount() < settings.minRequests()) {
            return;
        }
        boolean trip;
        try {
            trip = condition.test(window);
            core.conditionFailureLogged = false;
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            if (!core.conditionFailureLogged) {
                core.conditionFailureLogged = true;
                log.warn("Circuit breaker of backend {}: evaluating `{}` failed, counted as false until it works "
                        + "again: {}", backend, expression, e.toString());
            }
            return;
        }
        if (trip) {
            Phase tripped = new Phase(State.TRIPPED, now, now + fallbackNanos);
            if (PHASE.compareAndSet(core, p, tripped)) {
                metrics.reset();
                entered(p.state, State.TRIPPED, now, window);
                log.warn("Circuit breaker of backend {} tripped{}: `{}` is true with networkErrorRatio={} "
                                + "responseCodeRatio(500,600,0,600)={} p50={}ms p99={}ms requests={}; "
                                + "clients get {} for {}",
                        backend, p.state == State.RECOVERING ? " again while recovering" : "", expression,
                        ratio(window.networkErrorRatio()), ratio(window.responseCodeRatio(500, 600, 0, 600)),
                        window.latencyAtQuantileMs(50), window.latencyAtQuantileMs(99), window.requestCount(),
                        describe(settings.fallback()), BreakerSettings.format(settings.fallbackDuration()));
            }
        }
    }

    private void recover(Phase tripped, long now) {
        Phase recovering = new Phase(State.RECOVERING, now, now + recoveryNanos);
        if (PHASE.compareAndSet(core, tripped, recovering)) {
            entered(State.TRIPPED, State.RECOVERING, now, null);
            log.info("Circuit breaker of backend {} recovering after {} tripped: admitting a share of requests "
                    + "that ramps from 0 to 100% over {}", backend, BreakerSettings.format(settings.fallbackDuration()),
                    BreakerSettings.format(settings.recoveryDuration()));
        }
    }

    private void toStandby(Phase recovering, long now) {
        Phase standby = Phase.standby(now);
        if (PHASE.compareAndSet(core, recovering, standby)) {
            RollingMetrics.Snapshot window = metrics.snapshot(now);
            entered(State.RECOVERING, State.STANDBY, now, window);
            long packed = recovering.ramp;
            log.info("Circuit breaker of backend {} back to standby after {} of recovery ({} admitted, {} given "
                            + "the fallback) with networkErrorRatio={} responseCodeRatio(500,600,0,600)={} p50={}ms "
                            + "p99={}ms requests={}",
                    backend, BreakerSettings.format(settings.recoveryDuration()), packed >>> 32, packed & 0xffff_ffffL,
                    ratio(window.networkErrorRatio()), ratio(window.responseCodeRatio(500, 600, 0, 600)),
                    window.latencyAtQuantileMs(50), window.latencyAtQuantileMs(99), window.requestCount());
        }
    }

    private void entered(State from, State to, long now, RollingMetrics.Snapshot window) {
        core.entered.incrementAndGet(to.ordinal());
        if (listeners.isEmpty()) {
            return;
        }
        Transition t = new Transition(backend, from, to, now, window);
        for (TransitionListener l : listeners) {
            try {
                l.onTransition(t);
            } catch (RuntimeException e) {
                log.warn("Circuit breaker of backend {}: a transition listener failed: {}", backend, e.toString());
            }
        }
    }

    private static String ratio(double r) {
        return String.format(java.util.Locale.ROOT, "%.3f", r);
    }

    private static String describe(BreakerSettings.Fallback f) {
        return f.location() != null ? "a 302 redirect to " + f.location() : "status " + f.status();
    }

    /** The current state (as of the last admit, outcome or tick). */
    public State state() {
        return core.phase.state;
    }

    /** How many times the breaker entered {@code state} (since it was first built, across carried-over reloads). */
    public long transitionsInto(State state) {
        return core.entered.get(state.ordinal());
    }

    /** What a held-back request gets. */
    public BreakerSettings.Fallback fallback() {
        return settings.fallback();
    }

    public BreakerSettings settings() {
        return settings;
    }

    /** The backend's window (for the API); recording goes through {@link #onOutcome}. */
    public RollingMetrics metrics() {
        return metrics;
    }

    public String backend() {
        return backend;
    }

    /** Builds a {@link CircuitBreaker}. Not thread-safe; used while a configuration is compiled. */
    public static final class Builder {
        private final String backend;
        private final TripCondition condition;
        private String expression = "<condition>";
        private BreakerSettings settings = BreakerSettings.DEFAULTS;
        private int stripes = 1;
        private LongSupplier nanoClock = System::nanoTime;
        private final List<TransitionListener> listeners = new ArrayList<>();
        private Executor checkExecutor;
        private CircuitBreaker previous;
        private Logger log = DEFAULT_LOG;

        private Builder(String backend, TripCondition condition) {
            this.backend = Objects.requireNonNull(backend, "backend");
            this.condition = Objects.requireNonNull(condition, "condition");
        }

        /** The expression's text, for logs. */
        public Builder expression(String text) {
            this.expression = Objects.requireNonNull(text);
            return this;
        }

        public Builder settings(BreakerSettings value) {
            this.settings = Objects.requireNonNull(value);
            return this;
        }

        /** How many event loops record outcomes (each with its own stripe index); default 1. */
        public Builder stripes(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("stripes must be positive: " + count);
            }
            this.stripes = count;
            return this;
        }

        /** The clock {@link RollingMetrics}' own getters read (default {@code System::nanoTime}). */
        public Builder nanoClock(LongSupplier clock) {
            this.nanoClock = Objects.requireNonNull(clock);
            return this;
        }

        public Builder listener(TransitionListener listener) {
            this.listeners.add(Objects.requireNonNull(listener));
            return this;
        }

        /** Where checks run; null (default) runs them in the thread whose outcome made one due, as oxy does. */
        public Builder checkExecutor(Executor executor) {
            this.checkExecutor = executor;
            return this;
        }

        /**
         * Carries {@code previous}' state across a reload: same state and timers, same ramp, same transition counts,
         * and the same window if its shape (stripes, window) did not change. Use it when the backend (name and
         * servers) is unchanged; the new condition and settings apply from the next check. Null: a fresh breaker.
         */
        public Builder carryOver(CircuitBreaker previous) {
            if (previous != null && !previous.backend.equals(backend)) {
                throw new IllegalArgumentException("cannot carry the breaker of backend " + previous.backend
                        + " over to backend " + backend);
            }
            this.previous = previous;
            return this;
        }

        Builder logger(Logger logger) {
            this.log = Objects.requireNonNull(logger);
            return this;
        }

        public CircuitBreaker build() {
            return new CircuitBreaker(this);
        }
    }
}
