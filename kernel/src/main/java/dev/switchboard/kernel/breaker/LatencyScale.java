package dev.switchboard.kernel.breaker;

/**
 * The log-linear bucket scale of the latency histogram (HDR-style): exact below 128 µs, then 64 buckets per power of
 * two up to 1 hour. A bucket's midpoint is within 1/128 (0.78 %) of every value in it, so any quantile read from the
 * histogram is within 1 % of the sample it stands for.
 *
 * <p>Pure functions, no state: {@link #indexOf(long)} runs on the request path (a few shifts, no allocation).
 */
final class LatencyScale {

    /** Values below this are counted exactly (one bucket per microsecond). */
    static final int EXACT_LIMIT = 128;
    /** Buckets per power of two above {@link #EXACT_LIMIT}; the relative width of a bucket is at most 1/64. */
    static final int SUB_BUCKETS = 64;
    /** 1 hour in microseconds, the largest latency told apart (oxy's histogram has the same range). */
    static final long MAX_MICROS = 3_600_000_000L;
    /** Number of buckets: 128 exact + 64 for each power of two from 2^7 to 2^31 (2^32 µs > 1 h). */
    static final int BUCKETS = EXACT_LIMIT + (31 - 6) * SUB_BUCKETS;

    private LatencyScale() {
    }

    /** The bucket for a latency in microseconds; negative values count as 0, values above 1 h as 1 h. */
    static int indexOf(long micros) {
        if (micros < EXACT_LIMIT) {
            return micros <= 0 ? 0 : (int) micros;
        }
        long v = Math.min(micros, MAX_MICROS);
        int msb = 63 - Long.numberOfLeadingZeros(v);
        int shift = msb - 6; // v >> shift is in [64, 128)
        return EXACT_LIMIT + (shift - 1) * SUB_BUCKETS + (int) ((v >>> shift) - SUB_BUCKETS);
    }

    /** The value a bucket reports: the value itself in the exact range, else the bucket's midpoint. */
    static long valueOf(int index) {
        if (index < EXACT_LIMIT) {
            return index;
        }
        int k = index - EXACT_LIMIT;
        int shift = k / SUB_BUCKETS + 1;
        long lowest = ((long) (k % SUB_BUCKETS + SUB_BUCKETS)) << shift;
        return lowest + (1L << (shift - 1));
    }
}
