package dev.switchboard.kernel.plugin;

import java.lang.ref.WeakReference;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What one thread (an event loop) is doing in plugin code, published for the {@link PluginWatchdog}: the guard of
 * the extension it is inside and since when, or nothing. The thread writes {@code since} then the volatile
 * {@code guard} before each call and clears {@code guard} after; the watchdog reads {@code guard} then
 * {@code since}, so it never sees a call as older than it is. No allocation after a thread's first call.
 */
public final class PluginCallSite {
    private static final Queue<PluginCallSite> SITES = new ConcurrentLinkedQueue<>();
    private static final ThreadLocal<PluginCallSite> CURRENT = ThreadLocal.withInitial(PluginCallSite::register);

    final WeakReference<Thread> thread;
    final String threadName;
    private volatile PluginCallGuard guard;
    private long since;

    // The watchdog's own: the call it last reported, so that it reports each stuck call once.
    int reportedGuard; // identity hash: a strong reference would keep an unloaded plugin's loader
    long reportedSince;

    private PluginCallSite(Thread thread) {
        this.thread = new WeakReference<>(thread);
        this.threadName = thread.getName();
    }

    private static PluginCallSite register() {
        PluginCallSite site = new PluginCallSite(Thread.currentThread());
        SITES.add(site);
        PluginWatchdog.ensureStarted();
        return site;
    }

    /** This thread's site. */
    static PluginCallSite current() {
        return CURRENT.get();
    }

    static Queue<PluginCallSite> sites() {
        return SITES;
    }

    void enter(PluginCallGuard g, long start) {
        since = start;
        guard = g;
    }

    void exit() {
        guard = null;
    }

    /** The extension this thread is inside, or null. */
    PluginCallGuard guard() {
        return guard;
    }

    /** Since when (meaningful after reading a non-null {@link #guard()}). */
    long since() {
        return since;
    }
}
