package dev.switchboard.provider.etcd;

import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.config.ProviderContext;
import dev.switchboard.spi.model.Configuration;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One provider's conversation with etcd: read the whole prefix, publish, watch from the next revision, publish each
 * burst of changes once, and survive the store going away.
 *
 * <pre>
 *            start()                      watch created
 *   STARTING ───────▶ read prefix ──▶ publish ──▶ WATCHING ──events──▶ coalesce ──quiet period──▶ publish
 *      │                  ▲                          │
 *      │ unreachable      │ re-read                  ├─ canceled (compaction: compact_revision, or other reason)
 *      ▼                  │                          │        ─▶ re-read the prefix, watch from its revision + 1
 *   UNREACHABLE ──backoff─┘                          └─ stream ended / transport error (etcd stopped, leader lost)
 *      ▲   100 ms, doubled per failure, capped at 5 s           ─▶ UNREACHABLE (publish nothing meanwhile)
 *      └─────────────────────────────────────────────────────────┘
 * </pre>
 *
 * <p>Re-reading the prefix after any interruption (rather than resuming the watch at the last revision seen) makes
 * the snapshot right even when etcd compacted the revisions missed; identical snapshots are not published again.
 * A state change (reached, lost, reached again) is logged once, not every attempt.
 *
 * <p>Threads: the loop runs on one daemon thread ({@code switchboard-etcd}); coalesced publications run on a second
 * ({@code switchboard-etcd-publish}). {@link #close()} stops both promptly: it closes the open watch stream and
 * interrupts the loop.
 */
final class EtcdSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EtcdSession.class);

    private enum State { STARTING, CONNECTED, UNREACHABLE }

    private final EtcdSettings settings;
    private final EtcdClient client;
    private final ProviderContext context;
    private final String keyPrefix;
    private final LongConsumer beforeWatch;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final ScheduledExecutorService publisher;
    private final ScheduledExecutorService prober;
    private Thread loop;
    private volatile boolean closed;
    private volatile EtcdClient.Watch currentWatch;
    private final java.util.concurrent.atomic.AtomicInteger losses = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger cancellations =
            new java.util.concurrent.atomic.AtomicInteger();

    // Loop thread only.
    private State state = State.STARTING;
    private int failedAttempts;
    private String lastFailure;

    // Guarded by this.
    private Map<String, String> latest;
    private ScheduledFuture<?> pending;
    private long burstStart;
    private Configuration lastPublished;
    private Map<String, String> lastRejected;

    EtcdSession(EtcdSettings settings, EtcdClient client, ProviderContext context, LongConsumer beforeWatch) {
        this.settings = settings;
        this.client = client;
        this.context = context;
        this.keyPrefix = settings.prefix() + "/";
        this.beforeWatch = beforeWatch;
        this.publisher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switchboard-etcd-publish");
            t.setDaemon(true);
            return t;
        });
        this.prober = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switchboard-etcd-probe");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Reads the prefix once on the caller's thread and publishes it; then, if watching (or if that read failed),
     * continues on the session's thread.
     */
    void start() {
        EtcdClient.Range first = null;
        try {
            first = client.range(keyPrefix);
            reached(first);
            publishNow(first.kvs());
        } catch (IOException e) {
            lost(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (first != null && !settings.watch()) {
            publisher.shutdown();
            prober.shutdown();
            return;
        }
        if (settings.watch() && !settings.probe().isZero()) {
            long every = settings.probe().toNanos();
            prober.scheduleWithFixedDelay(this::probe, every, every, TimeUnit.NANOSECONDS);
        }
        EtcdClient.Range initial = first;
        loop = new Thread(() -> run(initial), "switchboard-etcd");
        loop.setDaemon(true);
        loop.start();
    }

    private void run(EtcdClient.Range initial) {
        Map<String, String> kv = initial == null ? null : new TreeMap<>(initial.kvs());
        long revision = initial == null ? 0 : initial.revision();
        long backoff = settings.retryMin().toNanos();
        while (!closed) {
            try {
                if (kv == null) {
                    EtcdClient.Range r = client.range(keyPrefix);
                    reached(r);
                    kv = new TreeMap<>(r.kvs());
                    revision = r.revision();
                    cancelPending();
                    publishNow(kv);
                    if (!settings.watch()) {
                        return;
                    }
                }
                beforeWatch.accept(revision);
                boolean created = watch(kv, revision);
                kv = null; // etcd cancelled the watch: re-read the prefix
                if (created) {
                    backoff = settings.retryMin().toNanos();
                } else {
                    // Cancelled before it was even created (a missing permission, say): retry, not in a tight loop.
                    if (pause(backoff)) {
                        return;
                    }
                    backoff = Math.min(backoff * 2, settings.retryMax().toNanos());
                }
            } catch (IOException | InterruptedException e) {
                if (closed) {
                    return;
                }
                Thread.interrupted(); // not a close: the prober ended a watch on a silent member
                lost(e instanceof IOException io ? io : new IOException("the probe ended the watch", e));
                kv = null;
                if (pause(backoff)) {
                    return;
                }
                backoff = Math.min(backoff * 2, settings.retryMax().toNanos());
            } catch (RuntimeException e) {
                // A bug or an unexpected answer must not end the watch for good: log it and start over.
                LOG.error("etcd provider: unexpected failure; re-reading {} after {}", keyPrefix,
                        millis(settings.retryMax()), e);
                kv = null;
                if (pause(settings.retryMax().toNanos())) {
                    return;
                }
            }
        }
    }

    /**
     * Waits {@code nanos}; true when the session is closed (at once). An interrupt that is not a close (the prober
     * ending a watch just as the loop got here) ends the wait early.
     */
    private boolean pause(long nanos) {
        try {
            return closing.await(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            return closed;
        }
    }

    /**
     * Watches from {@code revision + 1}, applying events to {@code kv}. Returns normally when etcd cancels the
     * watch (the caller re-reads); true if the watch was created first. Throws when the stream breaks.
     */
    private boolean watch(Map<String, String> kv, long revision) throws IOException, InterruptedException {
        boolean created = false;
        try (EtcdClient.Watch w = client.watch(keyPrefix, revision + 1)) {
            currentWatch = w;
            if (closed) {
                return false;
            }
            EtcdClient.WatchResponse r;
            while ((r = w.next()) != null) {
                if (r.canceled()) {
                    cancellations.incrementAndGet();
                    if (r.compactRevision() > 0) {
                        LOG.info("etcd provider: revisions up to {} under {} were compacted while this proxy was at "
                                + "revision {}; re-reading the prefix", r.compactRevision(), keyPrefix, revision);
                    } else {
                        LOG.info("etcd provider: etcd cancelled the watch of {}{}; re-reading the prefix", keyPrefix,
                                r.cancelReason().isEmpty() ? "" : " (" + r.cancelReason() + ")");
                    }
                    return created;
                }
                if (r.created()) {
                    created = true;
                    LOG.debug("etcd provider: watching {} from revision {} at {}", keyPrefix, revision + 1,
                            w.endpoint());
                    continue;
                }
                if (r.events().isEmpty()) {
                    continue;
                }
                for (EtcdClient.Event e : r.events()) {
                    if (e.delete()) {
                        kv.remove(e.key());
                    } else {
                        kv.put(e.key(), e.value());
                    }
                }
                changed(kv);
            }
            throw new IOException("etcd at " + w.endpoint() + " ended the watch stream");
        } finally {
            currentWatch = null;
        }
    }

    /**
     * A watch on a member that froze, or that lost its cluster's quorum, stays open and silent: ask that member for
     * a linearizable read now and then, and end the watch if it cannot answer (the loop then re-reads elsewhere).
     */
    private void probe() {
        EtcdClient.Watch w = currentWatch;
        if (w == null || closed) {
            return;
        }
        try {
            client.probe(w.endpoint(), keyPrefix);
        } catch (IOException e) {
            if (!closed && w == currentWatch) {
                LOG.warn("etcd provider: the watched member {} failed a read ({}); leaving it", w.endpoint(),
                        describe(e));
                client.avoid(w.endpoint());
                // Closing the stream does not wake a reader blocked on a member that sends nothing: interrupt it.
                w.close();
                Thread t = loop;
                if (t != null) {
                    t.interrupt();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: log it and keep probing.
            LOG.warn("etcd provider: probing {} failed unexpectedly", w.endpoint(), e);
        }
    }

    // ---- publication --------------------------------------------------------------------------------------------

    /** A change seen by the watch: published once no other change came for the quiet period (or the cap passed). */
    private synchronized void changed(Map<String, String> kv) {
        if (closed) {
            return;
        }
        latest = Map.copyOf(kv);
        long now = System.nanoTime();
        if (pending == null) {
            burstStart = now;
        } else {
            pending.cancel(false);
        }
        long delay = Math.min(settings.quietPeriod().toNanos(), burstStart + settings.maxDelay().toNanos() - now);
        pending = publisher.schedule(this::publishLatest, Math.max(0, delay), TimeUnit.NANOSECONDS);
    }

    private synchronized void publishLatest() {
        pending = null;
        if (latest != null) {
            publishNow(latest);
        }
    }

    private synchronized void cancelPending() {
        // A publication already waiting for this monitor must not publish the older keys after the re-read.
        latest = null;
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    /** Binds {@code kv} and publishes it, or rejects it naming every bad key; skips a repeat of the last outcome. */
    private synchronized void publishNow(Map<String, String> kv) {
        if (closed) {
            return;
        }
        KvBinder.Result result = KvBinder.bind(settings.prefix(), kv);
        result.warnings().forEach(context::warn);
        if (result.ok()) {
            lastRejected = null;
            if (!result.configuration().equals(lastPublished)) {
                lastPublished = result.configuration();
                LOG.debug("etcd provider: publishing {} frontends and {} backends from {} keys",
                        lastPublished.frontends().size(), lastPublished.backends().size(), kv.size());
                context.publish(lastPublished);
            }
        } else if (!kv.equals(lastRejected)) {
            lastRejected = Map.copyOf(kv);
            context.reject(new ConfigException(result.errors()));
        }
    }

    // ---- state changes, logged once each ------------------------------------------------------------------------

    private void reached(EtcdClient.Range r) {
        if (state == State.UNREACHABLE) {
            LOG.info("etcd provider: reached etcd again at {} after {} failed attempts; read {} keys under {} at "
                    + "revision {}", r.endpoint(), failedAttempts, r.kvs().size(), keyPrefix, r.revision());
        } else if (state == State.STARTING) {
            LOG.info("etcd provider: read {} keys under {} from {} at revision {}{}", r.kvs().size(), keyPrefix,
                    r.endpoint(), r.revision(), settings.watch() ? "; watching for changes" : "");
        }
        state = State.CONNECTED;
        failedAttempts = 0;
        lastFailure = null;
    }

    private void lost(IOException e) {
        failedAttempts++;
        String why = describe(e);
        if (state != State.UNREACHABLE) {
            losses.incrementAndGet();
            LOG.warn("etcd provider: etcd {} ({}: {}); {}; retrying with backoff from {} to {}",
                    state == State.STARTING ? "unreachable at start" : "lost", client.endpoints(), why,
                    state == State.STARTING ? "starting without its configuration"
                            : "the last configuration keeps serving", millis(settings.retryMin()),
                    millis(settings.retryMax()));
            state = State.UNREACHABLE;
        } else if (!why.equals(lastFailure)) {
            LOG.debug("etcd provider: still unreachable: {}", why);
        }
        lastFailure = why;
    }

    private static String millis(Duration d) {
        return d.toMillis() + " ms";
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + m;
    }

    /** How many times etcd became unreachable, counting a failed first read (tests, diagnostics). */
    int losses() {
        return losses.get();
    }

    /** The member the watch is open on now, or null between watches (tests, diagnostics). */
    java.net.URI watchedEndpoint() {
        EtcdClient.Watch w = currentWatch;
        return w == null ? null : w.endpoint();
    }

    /** How many watches etcd cancelled (compaction or another reason), each followed by a re-read. */
    int cancellations() {
        return cancellations.get();
    }

    @Override
    public void close() {
        closed = true;
        closing.countDown();
        EtcdClient.Watch w = currentWatch;
        if (w != null) {
            w.close();
        }
        publisher.shutdownNow();
        prober.shutdownNow();
        Thread t = loop;
        if (t != null) {
            t.interrupt();
            try {
                t.join(Duration.ofSeconds(2).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                LOG.warn("etcd provider: the watch thread did not stop within 2 s");
            }
        }
    }
}
