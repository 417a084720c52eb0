package dev.switchboard.plugins.balancers;

import java.util.Arrays;

/**
 * oxy's interleaved weighted round robin (LVS style, {@code roundrobin/rr.go}) as positions instead of a state
 * machine. oxy walks the servers in order with a "current weight" {@code cw} that starts at the maximum weight and
 * drops by the weights' gcd {@code g} after each pass, down to {@code g}; a pass picks, in server order, every server
 * whose weight is at least {@code cw}. One period is therefore {@code max/g} passes and {@code sum/g} picks.
 *
 * <p>Passes whose {@code cw} lies between two consecutive distinct weights pick the same servers, so the period is
 * stored as a few <em>bands</em>: band {@code b} covers the passes with {@code cw} in {@code (d[b+1], d[b]]} (the
 * distinct weights in descending order, {@code d[D] = 0}), each picking the servers of weight at least {@code d[b]}.
 * A position is found by a binary search over the bands. The members of each band are stored while that takes at
 * most {@link #MAX_STORED_MEMBERS} entries in all (servers × distinct weights); beyond, a pick scans the weights to
 * find the member (lock-free and allocation-free still, linear in the number of servers).
 *
 * <p>Servers of weight 0 are never picked; all weights 0 gives {@link Cycle#EMPTY}.
 */
final class InterleavedCycle implements Cycle {
    /** Most band members stored (4 M entries, 16 MiB); above, members are found by scanning. */
    static final long MAX_STORED_MEMBERS = 1 << 22;

    private final long[] bandStart;   // first position of each band; bandStart[bands] = length
    private final int[] threshold;    // weight a server needs to be in each band
    private final int[] size;         // members of each band
    private final int[][] members;    // servers of each band, in server order; null when not stored
    private final int[] weights;
    private final long length;

    private InterleavedCycle(long[] bandStart, int[] threshold, int[] size, int[][] members, int[] weights) {
        this.bandStart = bandStart;
        this.threshold = threshold;
        this.size = size;
        this.members = members;
        this.weights = weights;
        this.length = bandStart[bandStart.length - 1];
    }

    static Cycle of(int[] weights) {
        return of(weights, MAX_STORED_MEMBERS);
    }

    /** With {@code maxStored} instead of {@link #MAX_STORED_MEMBERS}, for tests of the scanning path. */
    static Cycle of(int[] weights, long maxStored) {
        int g = 0;
        for (int w : weights) {
            g = Weights.gcd(g, w);
        }
        if (g == 0) {
            return Cycle.EMPTY;
        }
        int[] distinct = Arrays.stream(weights).filter(w -> w > 0).distinct().sorted().toArray();
        int bands = distinct.length;
        long[] start = new long[bands + 1];
        int[] thresholds = new int[bands];
        int[] sizes = new int[bands];
        long stored = 0;
        long position = 0;
        for (int b = 0; b < bands; b++) {
            thresholds[b] = distinct[bands - 1 - b];          // d[b], descending
            int below = b + 1 < bands ? distinct[bands - 2 - b] : 0;
            long passes = (thresholds[b] - below) / g;
            for (int w : weights) {
                if (w >= thresholds[b]) {
                    sizes[b]++;
                }
            }
            stored += sizes[b];
            start[b] = position;
            position += passes * sizes[b];
        }
        start[bands] = position;
        int[][] members = null;
        if (stored <= maxStored) {
            members = new int[bands][];
            for (int b = 0; b < bands; b++) {
                members[b] = indexesWithWeightAtLeast(weights, thresholds[b]);
            }
        }
        return new InterleavedCycle(start, thresholds, sizes, members, weights.clone());
    }

    private static int[] indexesWithWeightAtLeast(int[] weights, int threshold) {
        int n = 0;
        for (int w : weights) {
            if (w >= threshold) {
                n++;
            }
        }
        int[] out = new int[n];
        int j = 0;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] >= threshold) {
                out[j++] = i;
            }
        }
        return out;
    }

    @Override
    public int at(long position) {
        long p = Math.floorMod(position, length);
        int lo = 0;
        int hi = size.length - 1;
        while (lo < hi) {                       // last band whose start <= p
            int mid = (lo + hi + 1) >>> 1;
            if (bandStart[mid] <= p) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        int j = (int) ((p - bandStart[lo]) % size[lo]);
        if (members != null) {
            return members[lo][j];
        }
        int need = threshold[lo];
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] >= need && j-- == 0) {
                return i;
            }
        }
        throw new IllegalStateException("band " + lo + " has fewer than " + size[lo] + " members");
    }

    @Override
    public long length() {
        return length;
    }
}
