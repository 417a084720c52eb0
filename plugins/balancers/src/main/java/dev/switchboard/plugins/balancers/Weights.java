package dev.switchboard.plugins.balancers;

import dev.switchboard.spi.model.Server;
import java.util.List;

/** Weight arithmetic shared by the balancers. */
final class Weights {
    private Weights() {
    }

    static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /**
     * The weights the balancers use: as configured, except that 0 counts as 1 unless {@code allowMinWeightZero}
     * (oxy's default weight). Negative weights cannot reach here (the file provider refuses them); they count as 0.
     */
    static int[] effective(List<Server> servers, boolean allowMinWeightZero) {
        int[] w = new int[servers.size()];
        for (int i = 0; i < w.length; i++) {
            int configured = Math.max(0, servers.get(i).weight());
            w[i] = configured == 0 && !allowMinWeightZero ? 1 : configured;
        }
        return w;
    }

    /** {@code weights} with the unavailable servers' weights set to 0. */
    static int[] masked(int[] weights, boolean[] available) {
        int[] w = weights.clone();
        for (int i = 0; i < w.length; i++) {
            if (!available[i]) {
                w[i] = 0;
            }
        }
        return w;
    }
}
