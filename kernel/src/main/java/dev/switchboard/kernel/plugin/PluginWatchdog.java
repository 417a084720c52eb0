package dev.switchboard.kernel.plugin;

import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A daemon thread that notices a thread (an event loop) stuck inside one plugin call for longer than the
 * extension's {@code stuckAfter} (5 s): it logs an ERROR once per stuck call, naming the thread, the plugin and the
 * extension, and marks the extension {@linkplain PluginCallGuard#markStuck() stuck} so that no loop calls into it
 * until that call returns. It cannot free the stuck loop: Java cannot preempt it. Started with the first plugin
 * call; one per process; scans every 250 ms.
 */
final class PluginWatchdog {
    private static final Logger LOG = LoggerFactory.getLogger(PluginWatchdog.class);
    static final long SCAN_MILLIS = 250;
    private static Thread thread;

    private PluginWatchdog() {
    }

    static synchronized void ensureStarted() {
        if (thread != null) {
            return;
        }
        thread = new Thread(PluginWatchdog::run, "switchboard-plugin-watchdog");
        thread.setDaemon(true);
        // It may be started from inside a guarded call: never inherit a plugin's loader (it would never be freed).
        thread.setContextClassLoader(PluginWatchdog.class.getClassLoader());
        thread.start();
    }

    private static void run() {
        while (true) {
            try {
                Thread.sleep(SCAN_MILLIS);
                scan();
            } catch (InterruptedException e) {
                return;
            } catch (Throwable e) {
                LOG.warn("plugin watchdog: scan failed", e);
            }
        }
    }

    /** One pass over every thread that has called plugin code; returns how many are stuck now. */
    static synchronized int scan() {
        int stuck = 0;
        for (Iterator<PluginCallSite> it = PluginCallSite.sites().iterator(); it.hasNext(); ) {
            PluginCallSite site = it.next();
            Thread t = site.thread.get();
            if (t == null || !t.isAlive()) {
                it.remove();
                continue;
            }
            PluginCallGuard g = site.guard();
            if (g == null) {
                continue;
            }
            long since = site.since();
            long inside = g.now() - since;
            if (inside < g.stuckAfterNanos) {
                continue;
            }
            stuck++;
            g.markStuck(); // every pass: a trial must not go in while any thread is still stuck in it
            if (site.reportedGuard != System.identityHashCode(g) || site.reportedSince != since) {
                site.reportedGuard = System.identityHashCode(g);
                site.reportedSince = since;
                LOG.error("{} '{}' has been inside one call of {} for {} ms: it serves none of its other "
                                + "connections until the call returns (Java cannot interrupt it); the extension is "
                                + "quarantined until then, so that no other loop calls into it",
                        site.threadName.startsWith("switchboard-loop") ? "event loop" : "thread", site.threadName,
                        g.ref(), TimeUnit.NANOSECONDS.toMillis(inside));
            }
        }
        return stuck;
    }
}
