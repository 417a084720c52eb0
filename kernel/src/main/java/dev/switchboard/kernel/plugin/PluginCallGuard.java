package dev.switchboard.kernel.plugin;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slow-call quarantine of one extension: the guarded wrappers time every per-request call into it
 * ({@link #now()} before and after, nothing else on the fast path: one volatile read, no allocation, no lock); a
 * call slower than the budget is a strike, and enough strikes within the window quarantine the extension. A
 * quarantined extension is not called: a matcher does not match, a modifier fails its request (500), a balancer
 * answers 502. After the quarantine period the next call is a trial (half-open): answered within the budget, the
 * extension is released; slow again, it is quarantined for another period. Every quarantine and release is logged
 * once, naming the plugin and the extension. Slow calls that overlap in time (several loops slowed by one GC pause)
 * count as one strike.
 *
 * <p>Java cannot preempt a call that never returns: {@link PluginWatchdog} notices a thread stuck inside a call and
 * marks the extension {@linkplain #markStuck() stuck} so that no other loop enters it until that call returns.
 *
 * <p>One per extension, shared by every matcher or balancer it builds in every generation. Thread-safe.
 */
public final class PluginCallGuard {
    private static final Logger LOG = LoggerFactory.getLogger(PluginCallGuard.class);

    /** Calls go in. */
    static final int CLOSED = 0;
    /** No call goes in until {@link #until}; then one trial. */
    static final int QUARANTINED = 1;
    /** One trial call is in; no other goes in. */
    static final int TRIAL = 2;
    /** A thread is stuck inside a call (watchdog); no call goes in until it returns. */
    static final int STUCK = 3;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(PluginCallGuard.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ExtensionRef ref;
    private final PluginGuardSettings settings;
    private final LongSupplier clock;
    private final long budgetNanos;
    private final long windowNanos;
    private final long quarantineNanos;
    final long stuckAfterNanos;

    private volatile int state = CLOSED;
    /** In {@link #QUARANTINED}: when the trial may go in (clock time). Written before {@link #state}. */
    private volatile long until;

    // Strikes, guarded by this (only slow calls get here).
    private final long[] strikeTimes;
    private int strikeCount;
    private int strikeNext;
    /** When the last counted strike's call ended; a slow call that started before it overlaps it. */
    private long lastStrikeEnd;
    private volatile long quarantines;

    public PluginCallGuard(ExtensionRef ref, PluginGuardSettings settings) {
        this(ref, settings, System::nanoTime);
    }

    /** With an injected nanosecond clock, for tests. */
    PluginCallGuard(ExtensionRef ref, PluginGuardSettings settings, LongSupplier clock) {
        this.ref = ref;
        this.settings = settings;
        this.clock = clock;
        this.budgetNanos = settings.callBudget().toNanos();
        this.windowNanos = settings.window().toNanos();
        this.quarantineNanos = settings.quarantine().toNanos();
        this.stuckAfterNanos = settings.stuckAfter().toNanos();
        this.strikeTimes = new long[settings.strikes()];
    }

    public ExtensionRef ref() {
        return ref;
    }

    public PluginGuardSettings settings() {
        return settings;
    }

    /** The clock, in nanoseconds ({@link System#nanoTime()} outside tests). */
    public long now() {
        return clock.getAsLong();
    }

    /**
     * Hot path: whether a call may go in at {@code now}. True when not quarantined; in quarantine, true for exactly
     * one caller once the period is over (the trial).
     */
    public boolean admits(long now) {
        int s = state;
        if (s == CLOSED) {
            return true;
        }
        return s == QUARANTINED && now - until >= 0 && STATE.compareAndSet(this, QUARANTINED, TRIAL);
    }

    /** Hot path: publishes "this thread is inside this extension since {@code start}" for the watchdog. */
    public PluginCallSite enter(long start) {
        PluginCallSite site = PluginCallSite.current();
        site.enter(this, start);
        return site;
    }

    /** Hot path: the call that went in at {@code start} returned (or threw). */
    public void exit(PluginCallSite site, long start) {
        site.exit();
        long end = clock.getAsLong();
        if ((budgetNanos > 0 && end - start > budgetNanos) || state != CLOSED) {
            completed(start, end);
        }
    }

    /** True while calls are refused (quarantined, on trial, or stuck). */
    public boolean quarantined() {
        return state != CLOSED;
    }

    int state() {
        return state;
    }

    /** How many times the extension was quarantined (slow calls, failed trials, stuck calls). */
    public long quarantines() {
        return quarantines;
    }

    private synchronized void completed(long start, long end) {
        long took = end - start;
        boolean slow = budgetNanos > 0 && took > budgetNanos;
        switch (state) {
            case CLOSED -> {
                if (slow) {
                    strike(start, end, took);
                }
            }
            case TRIAL -> {
                if (slow) {
                    quarantine(end);
                    LOG.error("{} is still slow: its trial call took {} (budget {}); quarantined again for {}: {}",
                            ref, millis(took), millis(budgetNanos), millis(quarantineNanos), consequence());
                } else {
                    clearStrikes();
                    state = CLOSED;
                    LOG.warn("{} answered its trial call in {}: released from quarantine, called again", ref,
                            millis(took));
                }
            }
            case STUCK -> {
                if (took >= stuckAfterNanos) {
                    quarantine(end);
                    LOG.error("{}: the call that was stuck returned after {}; quarantined for {} more, then tried "
                            + "again", ref, millis(took), millis(quarantineNanos));
                }
            }
            default -> {
                // QUARANTINED: a call that was already in when the extension was quarantined.
            }
        }
    }

    private void strike(long start, long end, long took) {
        if (strikeCount > 0 && start - lastStrikeEnd < 0) {
            // Overlaps the last strike's call: one stall (a GC pause, a starved machine) slowing every loop's call
            // at once is one strike, not one per loop. A plugin slow on its own is slow call after call.
            lastStrikeEnd = Math.max(lastStrikeEnd, end);
            return;
        }
        lastStrikeEnd = end;
        int n = strikeTimes.length;
        strikeTimes[strikeNext] = end;
        strikeNext = (strikeNext + 1) % n;
        if (strikeCount < n) {
            strikeCount++;
        }
        // strikeNext now indexes the oldest of the last n strikes.
        if (strikeCount == n && end - strikeTimes[strikeNext] <= windowNanos) {
            quarantine(end);
            LOG.error("{} quarantined for {}: {} calls slower than the budget of {} within {} (the last took {}); "
                            + "{}, then one trial call decides (pluginCallBudget)", ref, millis(quarantineNanos), n,
                    millis(budgetNanos), millis(windowNanos), millis(took), consequence());
        } else {
            LOG.debug("{}: a call took {} (budget {}); strike {} of {}", ref, millis(took), millis(budgetNanos),
                    strikeCount, n);
        }
    }

    private void quarantine(long now) {
        clearStrikes();
        until = now + quarantineNanos;
        state = QUARANTINED;
        quarantines++;
    }

    private void clearStrikes() {
        strikeCount = 0;
        strikeNext = 0;
    }

    /**
     * The watchdog saw a thread inside a call for longer than {@code stuckAfter}: refuse every call until it
     * returns. Returns true if this changed the state (the caller logs).
     */
    synchronized boolean markStuck() {
        if (state == STUCK) {
            return false;
        }
        state = STUCK;
        quarantines++;
        return true;
    }

    /** What a quarantine costs, in words. */
    String consequence() {
        return switch (ref.kind()) {
            case "matcher" -> "rules using it do not match (their frontends stop matching)";
            case "balancer" -> "backends using it answer 502";
            default -> "it is not called";
        };
    }

    static String millis(long nanos) {
        long ms = TimeUnit.NANOSECONDS.toMillis(nanos);
        return ms >= 10_000 && ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }
}
