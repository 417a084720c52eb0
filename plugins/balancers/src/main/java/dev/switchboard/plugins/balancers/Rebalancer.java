package dev.switchboard.plugins.balancers;

import dev.switchboard.spi.model.Server;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * oxy's {@code roundrobin.Rebalancer} (reference §5.3) over a {@link RoundRobinState}: it learns weights from the
 * servers' 5xx ratios and hands them to the round robin.
 *
 * <p>The rule, evaluated with the servers in rotation (at least two), once every server's meter is ready and the
 * backoff has expired:
 * <ol>
 *   <li>rate each server (5xx ratio over the last 10 s; with {@code latency}, also mean latency) and split the
 *       ratings with {@link Outliers} (bad iff rating &gt; (median + MAD) × 1.5, sentinel 0 for even counts);</li>
 *   <li>if there are both good and bad servers: every good server's weight × 4 if the result is at most 4096; if any
 *       weight changed, divide all by their gcd, apply, and back off 10 s;</li>
 *   <li>otherwise converge: every weight that differs from the configured one becomes max(configured, weight / 4);
 *       if any changed, divide by the gcd, apply, and back off 10 s.</li>
 * </ol>
 *
 * <p>Threads: {@link #record} runs on every event loop; it updates the server's meter without lock and, at most
 * every {@link #CHECK_INTERVAL_NANOS}, one thread (whoever wins a compare-and-set) evaluates; the others go on.
 * oxy evaluated under a mutex after every request.
 */
final class Rebalancer {
    static final int GROW_FACTOR = 4;
    static final int MAX_WEIGHT = 4096;
    static final long BACKOFF_NANOS = 10_000_000_000L;
    static final long CHECK_INTERVAL_NANOS = 100_000_000L;
    /** With {@code latency}: a server is slow only if also this much slower than the median (1 ms). */
    static final double LATENCY_FLOOR_MICROS = 1000;

    private final RoundRobinState round;
    private final int[] configured;
    private final ServerMeter[] meters;
    private final LongSupplier clock;
    private final boolean byLatency;
    private final AtomicBoolean evaluating = new AtomicBoolean();
    private volatile long nextCheck;
    private long backoffUntil;       // guarded by evaluating
    private int[] current;           // guarded by evaluating

    Rebalancer(RoundRobinState round, int[] configured, LongSupplier clock, boolean byLatency) {
        this.round = round;
        this.configured = configured.clone();
        this.current = configured.clone();
        this.clock = clock;
        this.byLatency = byLatency;
        long now = clock.getAsLong();
        this.meters = new ServerMeter[configured.length];
        for (int i = 0; i < meters.length; i++) {
            meters[i] = new ServerMeter(now);
        }
        this.backoffUntil = now - 1_000_000_000L; // oxy's reset(): timer = now - 1 s
        this.nextCheck = now;
    }

    RoundRobinState round() {
        return round;
    }

    boolean byLatency() {
        return byLatency;
    }

    void record(Server server, int status, long latencyNanos) {
        int i = round.indexOf(server);
        if (i < 0) {
            return;
        }
        long now = clock.getAsLong();
        meters[i].record(now, status, latencyNanos);
        if (now - nextCheck >= 0 && evaluating.compareAndSet(false, true)) {
            try {
                nextCheck = now + CHECK_INTERVAL_NANOS;
                evaluate(now);
            } finally {
                evaluating.set(false);
            }
        }
    }

    /** oxy's {@code adjustWeights}. Caller holds {@link #evaluating}. */
    private void evaluate(long now) {
        if (now - backoffUntil <= 0) {
            return;
        }
        boolean[] up = round.availability();
        int n = 0;
        for (int i = 0; i < up.length; i++) {
            if (up[i]) {
                if (!meters[i].isReady()) {
                    return;
                }
                n++;
            }
        }
        if (n < 2) {
            return;
        }
        int[] inRotation = new int[n];
        double[] ratings = new double[n];
        for (int i = 0, j = 0; i < up.length; i++) {
            if (up[i]) {
                inRotation[j] = i;
                ratings[j++] = meters[i].rating(now);
            }
        }
        boolean[] bad = Outliers.bad(ratings, Outliers.THRESHOLD, 0);
        if (byLatency) {
            markSlow(now, inRotation, bad);
        }
        boolean anyGood = false;
        boolean anyBad = false;
        for (boolean b : bad) {
            anyBad |= b;
            anyGood |= !b;
        }
        int[] next = current.clone();
        boolean changed = false;
        if (anyGood && anyBad) {
            for (int j = 0; j < n; j++) {
                int i = inRotation[j];
                if (!bad[j] && (long) next[i] * GROW_FACTOR <= MAX_WEIGHT) {
                    next[i] *= GROW_FACTOR;
                    changed = true;
                }
            }
        } else {
            for (int i = 0; i < next.length; i++) {
                if (next[i] != configured[i]) {
                    next[i] = Math.max(configured[i], next[i] / GROW_FACTOR);
                    changed = true;
                }
            }
        }
        if (changed) {
            normalize(next);
            current = next;
            round.setWeights(next);
            backoffUntil = now + BACKOFF_NANOS;
        }
    }

    /** With {@code latency}: also bad, a server whose mean latency is an outlier by the same rule (and &gt; 1 ms). */
    private void markSlow(long now, int[] inRotation, boolean[] bad) {
        int k = 0;
        double[] latencies = new double[inRotation.length];
        int[] who = new int[inRotation.length];
        for (int j = 0; j < inRotation.length; j++) {
            double l = meters[inRotation[j]].meanLatencyMicros(now);
            if (!Double.isNaN(l)) {
                latencies[k] = l;
                who[k++] = j;
            }
        }
        if (k < 2) {
            return;
        }
        double[] sample = Arrays.copyOf(latencies, k);
        boolean[] slow = Outliers.bad(sample, Outliers.THRESHOLD, 0);
        double median = Outliers.median(sample);
        for (int x = 0; x < k; x++) {
            if (slow[x] && sample[x] - median >= LATENCY_FLOOR_MICROS) {
                bad[who[x]] = true;
            }
        }
    }

    /** Divides every weight by their gcd (oxy's {@code normalizeWeights}). */
    private static void normalize(int[] w) {
        int g = 0;
        for (int x : w) {
            g = Weights.gcd(g, x);
        }
        if (g > 1) {
            for (int i = 0; i < w.length; i++) {
                w[i] /= g;
            }
        }
    }

    List<Server> servers() {
        return round.servers();
    }
}
