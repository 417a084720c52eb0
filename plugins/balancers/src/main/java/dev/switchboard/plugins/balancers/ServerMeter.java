package dev.switchboard.plugins.balancers;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One server's outcomes over a rolling window of {@link #BUCKETS} buckets of one second, as oxy's {@code codeMeter}
 * (a {@code RatioCounter}): A = responses with status 500..504, B = every other one. Also the summed latency, for
 * the {@code latency} option.
 *
 * <p>Beyond oxy: buckets older than the window are never counted (oxy's {@code RollingCounter.cleanup} skipped some
 * and kept stale counts, reference §5.4).
 *
 * <p>Lock-free: each bucket is one {@code long} holding the second it belongs to (high 32 bits) and its count (low 32
 * bits), updated by compare-and-set; a bucket of an older second is restarted by the first write of the new one.
 * {@link #record} allocates nothing. Readers ({@link #rating}, {@link #meanLatencyMicros}) may see a record being
 * made or not; both are fine for a ratio over ten seconds.
 */
final class ServerMeter {
    static final int BUCKETS = 10;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long LOW32 = 0xFFFF_FFFFL;
    private static final long LOW48 = (1L << 48) - 1;

    private final long origin;
    private final AtomicLongArray errors = new AtomicLongArray(BUCKETS);
    private final AtomicLongArray others = new AtomicLongArray(BUCKETS);
    /** High 16 bits: second (mod 2^16); low 48 bits: summed latency in microseconds. */
    private final AtomicLongArray latency = new AtomicLongArray(BUCKETS);
    private final Readiness errorsSeen = new Readiness();
    private final Readiness othersSeen = new Readiness();

    /** @param origin the clock reading (nanoseconds) that is second 0 of this meter */
    ServerMeter(long origin) {
        this.origin = origin;
        // Second 0 with count 0 everywhere would look current: mark every bucket as long gone.
        for (int i = 0; i < BUCKETS; i++) {
            errors.set(i, LOW32 << 32);
            others.set(i, LOW32 << 32);
        }
    }

    private long second(long now) {
        return Math.floorDiv(now - origin, NANOS_PER_SECOND) & LOW32;
    }

    /** One response from this server: its status and the time to its head. */
    void record(long now, int status, long latencyNanos) {
        long sec = second(now);
        int slot = (int) (sec % BUCKETS);
        boolean error = status >= 500 && status < 505;
        add(error ? errors : others, slot, sec);
        (error ? errorsSeen : othersSeen).sawBucket(slot);
        addLatency(slot, sec, Math.max(0, latencyNanos) / 1000);
    }

    private static void add(AtomicLongArray counts, int slot, long sec) {
        while (true) {
            long v = counts.get(slot);
            long stamp = v >>> 32;
            long next;
            if (stamp == sec) {
                next = v + 1;
            } else if (stamp > sec && stamp != LOW32) {
                return; // a record delayed by a whole window: its bucket is already reused
            } else {
                next = (sec << 32) | 1;
            }
            if (counts.compareAndSet(slot, v, next)) {
                return;
            }
        }
    }

    private void addLatency(int slot, long sec, long micros) {
        long stamp16 = sec & 0xFFFF;
        while (true) {
            long v = latency.get(slot);
            long next = (v >>> 48) == stamp16 ? (v & ~LOW48) | ((v + micros) & LOW48) : (stamp16 << 48) | (micros & LOW48);
            if (latency.compareAndSet(slot, v, next)) {
                return;
            }
        }
    }

    /** The second that {@code slot} holds when it is inside the window ending at second {@code sec}. */
    private static long secondOfSlot(long sec, int slot) {
        return sec - Math.floorMod(sec - slot, BUCKETS);
    }

    private static long count(AtomicLongArray counts, int slot, long second) {
        long v = counts.get(slot);
        return (v >>> 32) == second ? v & LOW32 : 0;
    }

    /** 5xx ratio over the window: errors / all, 0 without data (oxy's {@code RatioCounter.Ratio}). */
    double rating(long now) {
        long sec = second(now);
        long a = 0;
        long b = 0;
        for (int i = 0; i < BUCKETS; i++) {
            long s = secondOfSlot(sec, i);
            a += count(errors, i, s);
            b += count(others, i, s);
        }
        return a + b == 0 ? 0 : (double) a / (a + b);
    }

    /** Mean latency in microseconds over the window, or NaN without data. */
    double meanLatencyMicros(long now) {
        long sec = second(now);
        long n = 0;
        long sum = 0;
        for (int i = 0; i < BUCKETS; i++) {
            long s = secondOfSlot(sec, i);
            long c = count(errors, i, s) + count(others, i, s);
            long v = latency.get(i);
            if (c > 0 && (v >>> 48) == (s & 0xFFFF)) {
                n += c;
                sum += v & LOW48;
            }
        }
        return n == 0 ? Double.NaN : (double) sum / n;
    }

    /**
     * oxy's readiness: the two counters together have been written in at least {@link #BUCKETS} different buckets
     * (counting a change of bucket, as {@code RollingCounter.countedBuckets}), so the ratio rests on ten seconds.
     */
    boolean isReady() {
        return errorsSeen.counted.get() + othersSeen.counted.get() >= BUCKETS;
    }

    /** oxy's {@code countedBuckets}: +1 each time a record lands in another bucket than the previous one, capped. */
    private static final class Readiness {
        final AtomicInteger lastBucket = new AtomicInteger(-1);
        final AtomicInteger counted = new AtomicInteger();

        void sawBucket(int slot) {
            if (counted.get() >= BUCKETS) {
                return;
            }
            int last = lastBucket.get();
            if (last != slot && lastBucket.compareAndSet(last, slot)) {
                counted.incrementAndGet();
            }
        }
    }
}
