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
 * Memory is at most (servers × distinct weights); a position is found by a binary search over the bands.
 *
 * <p>Servers of weight 0 are never picked; all weights 0 gives {@link Cycle#EMPTY}.
 */
final class InterleavedCycle implements Cycle {
    private final long[] bandStart;   // first position of each band; bandStart[bands] = length
    private final int[][] members;    // servers of each band, in server order
    private final long length;

    private InterleavedCycle(long[] bandStart, int[][] members) {
        this.bandStart = bandStart;
        this.members = members;
        this.length = bandStart[bandStart.length - 1];
    }

    static Cycle of(int[] weights) {
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
        int[][] members = new int[bands][];
        long position = 0;
        for (int b = 0; b < bands; b++) {
            int threshold = distinct[bands - 1 - b];          // d[b], descending
            int below = b + 1 < bands ? distinct[bands - 2 - b] : 0;
            long passes = (threshold - below) / g;
            members[b] = indexesWithWeightAtLeast(weights, threshold);
            start[b] = position;
            position += passes * members[b].length;
        }
        start[bands] = position;
        return new InterleavedCycle(start, members);
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
        int hi = members.length - 1;
        while (lo < hi) {                       // last band whose start <= p
            int mid = (lo + hi + 1) >>> 1;
            if (bandStart[mid] <= p) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        int[] m = members[lo];
        return m[(int) ((p - bandStart[lo]) % m.length)];
    }

    @Override
    public long length() {
        return length;
    }
}
