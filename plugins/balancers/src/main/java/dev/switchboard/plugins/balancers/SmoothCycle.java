package dev.switchboard.plugins.balancers;

/**
 * nginx's smooth weighted round robin ({@code ngx_http_upstream_get_peer}): at each pick every server's current
 * weight grows by its weight, the largest current weight wins (first in server order on ties) and loses the total.
 * Weights 5, 1, 1 give {@code A A B A C A A} instead of oxy's {@code A A A A A B C}. The period (sum of weights over
 * their gcd picks) is computed once and stored, so a pick is an array read; {@link #MAX_LENGTH} bounds it.
 */
final class SmoothCycle implements Cycle {
    /** Longest period stored (sum of weights / gcd); the factory refuses larger. */
    static final int MAX_LENGTH = 1 << 20;

    private final int[] order;

    private SmoothCycle(int[] order) {
        this.order = order;
    }

    /** Period length for these weights: sum / gcd (0 when every weight is 0). */
    static long lengthOf(int[] weights) {
        int g = 0;
        long sum = 0;
        for (int w : weights) {
            g = Weights.gcd(g, w);
            sum += w;
        }
        return g == 0 ? 0 : sum / g;
    }

    static Cycle of(int[] weights) {
        long length = lengthOf(weights);
        if (length == 0) {
            return Cycle.EMPTY;
        }
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException("smooth cycle of " + length + " picks exceeds " + MAX_LENGTH);
        }
        int g = 0;
        for (int w : weights) {
            g = Weights.gcd(g, w);
        }
        long[] current = new long[weights.length];
        long total = length;
        int[] order = new int[(int) length];
        for (int k = 0; k < order.length; k++) {
            int best = -1;
            for (int i = 0; i < weights.length; i++) {
                if (weights[i] == 0) {
                    continue;
                }
                current[i] += weights[i] / g;
                if (best < 0 || current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= total;
            order[k] = best;
        }
        return new SmoothCycle(order);
    }

    @Override
    public int at(long position) {
        return order[(int) Math.floorMod(position, (long) order.length)];
    }

    @Override
    public long length() {
        return order.length;
    }
}
