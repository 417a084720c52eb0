package dev.switchboard.kernel.breaker;

import dev.switchboard.spi.breaker.BackendMetrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * A backend's outcomes over a rolling window (10 buckets of 1 s by default): requests, network errors (status 502 or
 * 504, as oxy counts them), a count per status code 100..599 and a latency histogram (1 µs .. 1 h, any quantile within
 * 1 %, see {@link LatencyScale}).
 *
 * <h2>Writers: one stripe per event loop</h2>
 * {@link #record} is on the request path: no lock, no allocation, no shared write. Each event loop writes its own
 * stripe (a {@code long[]} nobody else writes), so a recording is a few plain reads and opaque writes on memory the
 * loop owns. <b>A stripe must only ever be written by one thread at a time</b>: the loop whose index it is.
 *
 * <h2>Window</h2>
 * Time is cut in slots of {@code bucketNanos}; slot {@code s} lives in bucket {@code s mod buckets}, which remembers
 * the slot it holds. A writer that lands in a bucket holding an older slot clears it first; a reader ignores every
 * bucket whose slot is not one of the last {@code buckets} slots. So a count leaves the window exactly
 * {@code buckets × bucketNanos} after its slot began, whether or not anything is recorded meanwhile. (oxy's
 * RollingCounter skipped some buckets in its cleanup loop and kept stale counts for ever on quiet backends:
 * reference §5.4.)
 *
 * <h2>Readers</h2>
 * Reads happen off the request path (a breaker check, at most every 100 ms; the API). {@link #snapshot(long)} merges
 * the stripes once; each bucket is read under its slot stamp (a seqlock: stamp, data, stamp again) so a bucket being
 * cleared concurrently is skipped rather than half-read. Counters of a live bucket may be read mid-update (the count
 * of a request seen, its status not yet): consistent enough for a ratio.
 *
 * <h2>Reset</h2>
 * {@link #reset()} (on a trip, from any thread) bumps a generation number. Readers ignore stripes of an older
 * generation; each writer clears its own stripe when it next records. Nobody writes another thread's stripe.
 */
public final class RollingMetrics implements BackendMetrics {

    /** Status codes counted one by one: [100, 600). */
    static final int FIRST_STATUS = 100;
    static final int STATUS_CODES = 500;

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle GENERATION;

    static {
        try {
            GENERATION = MethodHandles.lookup().findVarHandle(RollingMetrics.class, "generation", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // Layout of a stripe: PAD longs (keeps two stripes' hot words off one cache line), the stripe's generation,
    // then the buckets, then PAD longs.
    private static final int PAD = 16;
    private static final int GEN = PAD;
    private static final int FIRST_BUCKET = PAD + 1;
    // Layout of a bucket.
    private static final int EPOCH = 0;
    private static final int COUNT = 1;
    private static final int NET_ERRORS = 2;
    private static final int STATUS = 3;
    private static final int HISTOGRAM = STATUS + STATUS_CODES;
    private static final int BUCKET_LENGTH = HISTOGRAM + LatencyScale.BUCKETS;

    /** Epoch of a bucket that holds nothing. */
    private static final long EMPTY = Long.MIN_VALUE;
    /** Epoch (or stripe generation) while its owner clears it. */
    private static final long CLEARING = Long.MIN_VALUE + 1;

    private final long[][] stripes;
    private final int buckets;
    private final long bucketNanos;
    private final LongSupplier nanoClock;
    @SuppressWarnings("unused") // accessed through GENERATION
    private volatile long generation;

    /** The default window: 10 buckets of 1 s, as oxy's breaker metrics. */
    public RollingMetrics(int stripes, LongSupplier nanoClock) {
        this(stripes, 10, Duration.ofSeconds(1), nanoClock);
    }

    /**
     * @param stripes   number of writers (event loops); stripe indexes are 0..stripes-1
     * @param buckets   buckets in the window
     * @param bucket    the time one bucket covers
     * @param nanoClock the clock the {@link BackendMetrics} methods read (same time base as the {@code now} given to
     *                  {@link #record}, e.g. {@code System::nanoTime})
     */
    public RollingMetrics(int stripes, int buckets, Duration bucket, LongSupplier nanoClock) {
        if (stripes < 1 || buckets < 1) {
            throw new IllegalArgumentException("stripes and buckets must be positive: " + stripes + ", " + buckets);
        }
        long nanos = bucket.toNanos();
        if (nanos <= 0) {
            throw new IllegalArgumentException("bucket duration must be positive: " + bucket);
        }
        this.buckets = buckets;
        this.bucketNanos = nanos;
        this.nanoClock = nanoClock;
        this.stripes = new long[stripes][];
        for (int i = 0; i < stripes; i++) {
            long[] s = new long[FIRST_BUCKET + buckets * BUCKET_LENGTH + PAD];
            for (int b = 0; b < buckets; b++) {
                s[FIRST_BUCKET + b * BUCKET_LENGTH + EPOCH] = EMPTY;
            }
            this.stripes[i] = s;
        }
    }

    /** Number of stripes (writers). */
    public int stripes() {
        return stripes.length;
    }

    /** The window length: buckets × bucket duration. */
    public Duration window() {
        return Duration.ofNanos(bucketNanos * buckets);
    }

    /** True if a new instance with these parameters would be interchangeable with this one (reload carry-over). */
    boolean sameShape(int otherStripes, int otherBuckets, long otherBucketNanos) {
        return stripes.length == otherStripes && buckets == otherBuckets && bucketNanos == otherBucketNanos;
    }

    int bucketCount() {
        return buckets;
    }

    long bucketNanos() {
        return bucketNanos;
    }

    /**
     * Records one outcome. Request path: lock-free, allocation-free. Only the thread owning {@code stripe} may call
     * it with that stripe.
     *
     * @param stripe       the caller's stripe (its event loop index), 0..stripes-1
     * @param status       the status the client got; 502 and 504 count as network errors
     * @param latencyNanos time to the response head
     * @param nowNanos     the current time, same base as the clock
     */
    public void record(int stripe, int status, long latencyNanos, long nowNanos) {
        long[] s = stripes[stripe];
        long gen = (long) GENERATION.getAcquire(this);
        if (s[GEN] != gen) {
            clearStripe(s, gen);
        }
        long slot = Math.floorDiv(nowNanos, bucketNanos);
        int base = FIRST_BUCKET + (int) Math.floorMod(slot, (long) buckets) * BUCKET_LENGTH;
        long epoch = s[base + EPOCH];
        if (epoch != slot) {
            if (slot < epoch) {
                return; // a late outcome for a slot whose bucket was already reused: outside the window anyway
            }
            clearBucket(s, base, slot);
        }
        increment(s, base + COUNT);
        if (status == 502 || status == 504) {
            increment(s, base + NET_ERRORS);
        }
        int code = status - FIRST_STATUS;
        if (code >= 0 && code < STATUS_CODES) {
            increment(s, base + STATUS + code);
        }
        increment(s, base + HISTOGRAM + LatencyScale.indexOf(latencyNanos / 1000));
    }

    private static void increment(long[] s, int i) {
        LONGS.setOpaque(s, i, s[i] + 1);
    }

    private static void clearBucket(long[] s, int base, long slot) {
        LONGS.setOpaque(s, base + EPOCH, CLEARING);
        VarHandle.storeStoreFence(); // readers see CLEARING before any zero
        for (int i = base + COUNT, end = base + BUCKET_LENGTH; i < end; i++) {
            if (s[i] != 0) {
                LONGS.setOpaque(s, i, 0L);
            }
        }
        LONGS.setRelease(s, base + EPOCH, slot);
    }

    private void clearStripe(long[] s, long gen) {
        LONGS.setOpaque(s, GEN, CLEARING);
        VarHandle.storeStoreFence();
        for (int b = 0; b < buckets; b++) {
            // an EMPTY bucket is zeroed by clearBucket when next used
            LONGS.setOpaque(s, FIRST_BUCKET + b * BUCKET_LENGTH + EPOCH, EMPTY);
        }
        LONGS.setRelease(s, GEN, gen);
    }

    /**
     * Forgets everything recorded so far (the breaker does this on a trip, as oxy does). Any thread; each writer
     * clears its own stripe on its next record, readers ignore what came before at once.
     */
    public void reset() {
        GENERATION.getAndAdd(this, 1L);
    }

    /** Merges the stripes as of {@code nowNanos}. Off the request path: allocates a few KiB. */
    public Snapshot snapshot(long nowNanos) {
        long gen = (long) GENERATION.getAcquire(this);
        long current = Math.floorDiv(nowNanos, bucketNanos);
        long oldest = current - buckets + 1;
        long[] sum = new long[BUCKET_LENGTH];
        long[] one = new long[BUCKET_LENGTH];
        for (long[] s : stripes) {
            if ((long) LONGS.getAcquire(s, GEN) != gen) {
                continue; // recorded before the last reset (or being cleared): logically empty
            }
            for (int b = 0; b < buckets; b++) {
                int base = FIRST_BUCKET + b * BUCKET_LENGTH;
                for (int attempt = 0; attempt < 3; attempt++) {
                    long e1 = (long) LONGS.getAcquire(s, base + EPOCH);
                    if (e1 == EMPTY || e1 == CLEARING || e1 < oldest || e1 > current) {
                        break; // empty, stale (outside the window) or from the future (writer clock ahead)
                    }
                    for (int i = COUNT; i < BUCKET_LENGTH; i++) {
                        one[i] = (long) LONGS.getOpaque(s, base + i);
                    }
                    VarHandle.loadLoadFence();
                    if ((long) LONGS.getOpaque(s, base + EPOCH) == e1) {
                        for (int i = COUNT; i < BUCKET_LENGTH; i++) {
                            sum[i] += one[i];
                        }
                        break;
                    }
                }
            }
        }
        return new Snapshot(sum[COUNT], sum[NET_ERRORS], Arrays.copyOfRange(sum, STATUS, STATUS + STATUS_CODES),
                Arrays.copyOfRange(sum, HISTOGRAM, HISTOGRAM + LatencyScale.BUCKETS));
    }

    @Override
    public double networkErrorRatio() {
        return snapshot(nanoClock.getAsLong()).networkErrorRatio();
    }

    @Override
    public long latencyAtQuantileMs(double quantile) {
        return snapshot(nanoClock.getAsLong()).latencyAtQuantileMs(quantile);
    }

    @Override
    public double responseCodeRatio(int startA, int endA, int startB, int endB) {
        return snapshot(nanoClock.getAsLong()).responseCodeRatio(startA, endA, startB, endB);
    }

    @Override
    public long requestCount() {
        return snapshot(nanoClock.getAsLong()).requestCount();
    }

    /**
     * The window merged at one instant: what a breaker evaluates its condition against (one merge per check, however
     * many functions the expression calls). Immutable, thread-safe.
     */
    public static final class Snapshot implements BackendMetrics {
        private final long requests;
        private final long networkErrors;
        private final long[] statuses;
        private final long[] histogram;
        private final long histogramTotal;

        Snapshot(long requests, long networkErrors, long[] statuses, long[] histogram) {
            this.requests = requests;
            this.networkErrors = networkErrors;
            this.statuses = statuses;
            this.histogram = histogram;
            long t = 0;
            for (long c : histogram) {
                t += c;
            }
            this.histogramTotal = t;
        }

        @Override
        public long requestCount() {
            return requests;
        }

        /** Outcomes with status 502 or 504 in the window. */
        public long networkErrors() {
            return networkErrors;
        }

        /** Requests answered with {@code status} in the window (0 outside 100..599). */
        public long statusCount(int status) {
            int i = status - FIRST_STATUS;
            return i >= 0 && i < STATUS_CODES ? statuses[i] : 0;
        }

        @Override
        public double networkErrorRatio() {
            return requests == 0 ? 0 : (double) networkErrors / requests;
        }

        @Override
        public double responseCodeRatio(int startA, int endA, int startB, int endB) {
            long denominator = sumCodes(startB, endB);
            return denominator == 0 ? 0 : (double) sumCodes(startA, endA) / denominator;
        }

        private long sumCodes(int from, int to) {
            int lo = Math.max(from, FIRST_STATUS) - FIRST_STATUS;
            int hi = Math.min(to, FIRST_STATUS + STATUS_CODES) - FIRST_STATUS;
            long sum = 0;
            for (int i = lo; i < hi; i++) {
                sum += statuses[i];
            }
            return sum;
        }

        @Override
        public long latencyAtQuantileMs(double quantile) {
            return latencyAtQuantileMicros(quantile) / 1000;
        }

        /**
         * The latency at {@code quantile} percent in microseconds, within 1 % of the sample of rank
         * {@code max(1, round(quantile/100 × n))} (the rank hdrhistogram and oxy use); 0 without samples.
         */
        public long latencyAtQuantileMicros(double quantile) {
            if (histogramTotal == 0) {
                return 0;
            }
            double q = quantile > 100 ? 100 : quantile > 0 ? quantile : 0; // NaN counts as 0
            long rank = Math.max(1, (long) (q / 100 * histogramTotal + 0.5));
            long seen = 0;
            for (int i = 0; i < histogram.length; i++) {
                seen += histogram[i];
                if (seen >= rank) {
                    return LatencyScale.valueOf(i);
                }
            }
            return LatencyScale.valueOf(histogram.length - 1);
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT,
                    "requests=%d networkErrorRatio=%.3f 5xxRatio=%.3f p50=%dms p99=%dms",
                    requests, networkErrorRatio(), responseCodeRatio(500, 600, 0, 600),
                    latencyAtQuantileMs(50), latencyAtQuantileMs(99));
        }
    }
}
