package dev.switchboard.kernel.plugin;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs failures of plugin code that runs per request, at most once per extension per minute, so that a broken plugin
 * cannot flood the log from the hot path. Counts every failure, logged or not. Thread-safe, lock-free.
 */
public final class PluginFailureLog {
    private static final Logger LOG = LoggerFactory.getLogger(PluginFailureLog.class);
    static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    // Keyed by description, not by ExtensionRef: holding a plugin's class loader here would keep it from being
    // collected after the plugin is unloaded.
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final java.util.function.LongSupplier nanoClock;

    public PluginFailureLog() {
        this(System::nanoTime);
    }

    PluginFailureLog(java.util.function.LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    private static final class Entry {
        final AtomicLong lastLogged = new AtomicLong(Long.MIN_VALUE);
        final AtomicLong failures = new AtomicLong();
        final AtomicLong suppressed = new AtomicLong();
    }

    /** Shared by every guarded extension of the process. */
    public static final PluginFailureLog SHARED = new PluginFailureLog();

    /** Records one failure of {@code ref} while doing {@code what}; returns true if it was logged. */
    public boolean failed(ExtensionRef ref, String what, Throwable failure) {
        Entry e = entries.computeIfAbsent(ref.toString(), r -> new Entry());
        e.failures.incrementAndGet();
        long now = nanoClock.getAsLong();
        long last = e.lastLogged.get();
        if (last != Long.MIN_VALUE && now - last < INTERVAL_NANOS) {
            e.suppressed.incrementAndGet();
            return false;
        }
        if (!e.lastLogged.compareAndSet(last, now)) {
            e.suppressed.incrementAndGet();
            return false;
        }
        long suppressed = e.suppressed.getAndSet(0);
        LOG.error("{} failed while {}: {}{}", ref, what, failure,
                suppressed > 0 ? " (" + suppressed + " more failures in the last minute not logged)" : "", failure);
        return true;
    }

    /** Failures recorded for {@code ref} since start. */
    public long failures(ExtensionRef ref) {
        Entry e = entries.get(ref.toString());
        return e == null ? 0 : e.failures.get();
    }
}
