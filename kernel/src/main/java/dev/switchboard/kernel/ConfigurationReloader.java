package dev.switchboard.kernel;

import dev.switchboard.kernel.routing.ConfigurationMerger;
import dev.switchboard.kernel.routing.RouterHolder;
import dev.switchboard.kernel.routing.RoutingCompiler;
import dev.switchboard.kernel.routing.RoutingTable;
import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.config.ConfigProblem;
import dev.switchboard.spi.config.ProviderContext;
import dev.switchboard.spi.config.ProviderSettings;
import dev.switchboard.spi.model.Configuration;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the providers' snapshots into published routing tables.
 *
 * <p>Per provider: identical snapshots are dropped; the first is applied at once, then at most one per
 * {@code providersThrottleDuration}, the latest winning (Traefik v1's throttle). Each applied snapshot is merged with
 * the other providers' last good ones, compiled, and published through the {@link RouterHolder} with one volatile
 * write; a snapshot that fails is rejected whole with every problem logged, and the previous table keeps serving.
 *
 * <p>Threads: providers call their {@link ProviderContext} from any thread; everything else happens on this object's
 * single daemon thread ({@code switchboard-config}), so compiles are serialized and never run on an event loop, and
 * the state below is confined to that thread.
 */
public final class ConfigurationReloader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigurationReloader.class);

    private final RoutingCompiler compiler;
    private final RouterHolder holder;
    private final long throttleNanos;
    private final ScheduledExecutorService thread;
    private final java.util.function.Consumer<RoutingTable> published;

    // Confined to the reloader thread.
    private final Map<String, ProviderState> providers = new HashMap<>();
    private final Map<String, Configuration> lastGood = new TreeMap<>();
    private RoutingTable table;

    private final AtomicLong generation = new AtomicLong();
    private final AtomicLong rejections = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile List<ConfigProblem> lastProblems = List.of();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    private static final class ProviderState {
        boolean delivered;
        long nextAllowed;
        Configuration lastDelivered;
        Configuration pending;
        boolean scheduled;
    }

    public ConfigurationReloader(RoutingCompiler compiler, RouterHolder holder, Duration throttle) {
        this(compiler, holder, throttle, table -> { });
    }

    /** {@code published} is told of each table right after it is published (on the reloader's thread). */
    public ConfigurationReloader(RoutingCompiler compiler, RouterHolder holder, Duration throttle,
                                 java.util.function.Consumer<RoutingTable> published) {
        this.published = published;
        this.compiler = compiler;
        this.holder = holder;
        this.throttleNanos = throttle.toNanos();
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switchboard-config");
            t.setDaemon(true);
            return t;
        });
    }

    /** The context handed to provider {@code name}. */
    public ProviderContext contextFor(String name, ProviderSettings settings) {
        return new ProviderContext() {
            @Override
            public ProviderSettings settings() {
                return settings;
            }

            @Override
            public void publish(Configuration snapshot) {
                if (snapshot == null) {
                    return;
                }
                try {
                    thread.execute(() -> receive(name, snapshot));
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    LOG.debug("configuration from provider '{}' arrived after shutdown; ignored", name);
                }
            }

            @Override
            public void reject(ConfigException problems) {
                rejections.incrementAndGet();
                lastProblems = problems.problems();
                LOG.error("configuration from provider '{}' rejected; the last good configuration keeps serving:{}",
                        name, lines(problems.problems()));
            }

            @Override
            public void warn(ConfigProblem warning) {
                warnOnce("provider '" + name + "': ", warning);
            }
        };
    }

    /** Waits until every snapshot received so far that is not held back by the throttle has been handled. */
    public void flush(Duration timeout) throws InterruptedException, TimeoutException {
        try {
            thread.submit(() -> { }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Generations applied so far. */
    public long generation() {
        return generation.get();
    }

    /** Snapshots rejected so far (invalid sources and failed compiles). */
    public long rejections() {
        return rejections.get();
    }

    /** Snapshots dropped as identical to the provider's previous one. */
    public long dropped() {
        return dropped.get();
    }

    /** The problems of the last rejection. */
    public List<ConfigProblem> lastProblems() {
        return lastProblems;
    }

    private void receive(String provider, Configuration snapshot) {
        ProviderState s = providers.computeIfAbsent(provider, p -> new ProviderState());
        if (snapshot.equals(s.pending) || (s.pending == null && snapshot.equals(s.lastDelivered))) {
            drop(provider);
            return;
        }
        long now = System.nanoTime();
        if (s.pending == null && (!s.delivered || now - s.nextAllowed >= 0)) {
            deliver(provider, s, snapshot, now);
            return;
        }
        s.pending = snapshot;
        if (!s.scheduled) {
            s.scheduled = true;
            thread.schedule(() -> deliverPending(provider), Math.max(0, s.nextAllowed - now), TimeUnit.NANOSECONDS);
        }
    }

    private void deliverPending(String provider) {
        ProviderState s = providers.get(provider);
        s.scheduled = false;
        Configuration snapshot = s.pending;
        s.pending = null;
        if (snapshot == null) {
            return;
        }
        if (snapshot.equals(s.lastDelivered)) {
            drop(provider);
            return;
        }
        deliver(provider, s, snapshot, System.nanoTime());
    }

    private void drop(String provider) {
        dropped.incrementAndGet();
        LOG.debug("configuration from provider '{}' is identical to its previous one; dropped", provider);
    }

    private void deliver(String provider, ProviderState s, Configuration snapshot, long now) {
        s.delivered = true;
        s.nextAllowed = now + throttleNanos;
        s.lastDelivered = snapshot;
        if (apply(provider, snapshot, "changed")) {
            retryRejected(provider);
        }
    }

    /**
     * A provider's latest snapshot may have been rejected only because it clashed with another provider's (a name
     * defined twice); once that other provider changed, try such snapshots again, so that the routing reflects
     * every provider's latest valid source and not the order in which they changed.
     */
    private void retryRejected(String changed) {
        for (Map.Entry<String, ProviderState> e : providers.entrySet()) {
            String other = e.getKey();
            Configuration latest = e.getValue().lastDelivered;
            if (!other.equals(changed) && latest != null && !latest.equals(lastGood.get(other))) {
                apply(other, latest, "rejected before, retried after provider '" + changed + "' changed");
            }
        }
    }

    /** Compiles the last good configurations with {@code provider}'s replaced by {@code snapshot}; publishes it. */
    private boolean apply(String provider, Configuration snapshot, String why) {
        Map<String, Configuration> candidate = new TreeMap<>(lastGood);
        candidate.put(provider, snapshot);
        try {
            Configuration merged = ConfigurationMerger.merge(candidate);
            RoutingCompiler.Result result = compiler.compile(merged, table);
            for (ConfigProblem w : result.warnings()) {
                warnOnce("", w);
            }
            lastGood.put(provider, snapshot);
            table = result.table();
            holder.publish(table);
            try {
                published.accept(table);
            } catch (RuntimeException e) {
                LOG.error("configuration published, but what follows it (health checks) failed to adopt it", e);
            }
            long g = generation.incrementAndGet();
            LOG.info("configuration generation {} applied (provider '{}' {}): {} frontends, {} backends", g,
                    provider, why, merged.frontends().size(), merged.backends().size());
            return true;
        } catch (ConfigException e) {
            rejections.incrementAndGet();
            lastProblems = e.problems();
            LOG.error("configuration from provider '{}' rejected ({} problems); the last good configuration keeps "
                    + "serving:{}", provider, e.problems().size(), lines(e.problems()));
        } catch (RuntimeException e) {
            rejections.incrementAndGet();
            LOG.error("configuration from provider '{}' rejected: compiling it failed", provider, e);
        }
        return false;
    }

    private void warnOnce(String prefix, ConfigProblem warning) {
        String text = prefix + warning;
        if (warned.add(text)) {
            LOG.warn("{}", text);
        }
    }

    private static String lines(List<ConfigProblem> problems) {
        StringBuilder b = new StringBuilder();
        for (ConfigProblem p : problems) {
            b.append("\n  ").append(p);
        }
        return b.toString();
    }

    /** The table serving now, or null before the first. For callers on any thread (read after {@link #flush}). */
    public RoutingTable currentTable() {
        return holder.get() instanceof RoutingTable t ? t : null;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
