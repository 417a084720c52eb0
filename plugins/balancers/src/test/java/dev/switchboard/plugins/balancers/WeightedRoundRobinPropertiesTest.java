package dev.switchboard.plugins.balancers;

import static dev.switchboard.plugins.balancers.Fixtures.build;
import static dev.switchboard.plugins.balancers.Fixtures.picks;
import static dev.switchboard.plugins.balancers.Fixtures.servers;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.spi.balance.Balancer;
import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.model.Server;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** wrr against straightforward implementations of oxy's and nginx's algorithms, written from their descriptions. */
class WeightedRoundRobinPropertiesTest {

    /** oxy roundrobin/rr.go as the reference's pseudo-code states it (§5.1). */
    static final class OxyRoundRobin {
        final int[] weights;
        int index = -1;
        int currentWeight = 0;

        OxyRoundRobin(int[] weights) {
            this.weights = weights;
        }

        /** Index of the next server, or -1 for "all servers have 0 weight". */
        int next() {
            int g = 0;
            int max = 0;
            for (int w : weights) {
                g = Weights.gcd(g, w);
                max = Math.max(max, w);
            }
            while (true) {
                index = (index + 1) % weights.length;
                if (index == 0) {
                    currentWeight -= g;
                    if (currentWeight <= 0) {
                        currentWeight = max;
                        if (currentWeight == 0) {
                            return -1;
                        }
                    }
                }
                if (weights[index] >= currentWeight) {
                    return index;
                }
            }
        }
    }

    private static String oxy(int[] weights, int n) {
        OxyRoundRobin rr = new OxyRoundRobin(weights);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int k = rr.next();
            sb.append(k < 0 ? '-' : (char) ('A' + k));
        }
        return sb.toString();
    }

    private static int[] effective(int[] configured, boolean allowZero) {
        int[] w = configured.clone();
        for (int i = 0; i < w.length; i++) {
            if (w[i] == 0 && !allowZero) {
                w[i] = 1;
            }
        }
        return w;
    }

    @Property
    void sequenceEqualsOxysForAnyWeights(@ForAll @Size(min = 1, max = 8) List<@IntRange(max = 40) Integer> weights,
                                         @ForAll boolean allowMinWeightZero) throws ConfigException {
        int[] w = weights.stream().mapToInt(Integer::intValue).toArray();
        Balancer b = build(new WeightedRoundRobinFactory(), servers(w), Map.of(), null, allowMinWeightZero);
        int[] eff = effective(w, allowMinWeightZero);
        int n = Math.max(1, (int) SmoothCycle.lengthOf(eff)) * 3;
        if (java.util.Arrays.stream(eff).allMatch(x -> x == 0)) {
            // oxy alternates the "all servers have 0 weight" error with picking the last zero-weight server
            // (its loop accepts weight 0 >= currentWeight 0); we never pick a zero-weight server.
            assertEquals("-".repeat(n), picks(b, n));
            return;
        }
        assertEquals(oxy(eff, n), picks(b, n));
    }

    @Property
    void oneFullCycleGivesEachServerExactlyItsWeightsShare(
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 60) Integer> weights,
            @ForAll @IntRange(max = 1000) int alreadyPicked, @ForAll boolean smooth) throws ConfigException {
        int[] w = weights.stream().mapToInt(Integer::intValue).toArray();
        Balancer b = build(new WeightedRoundRobinFactory(), servers(w), Map.of("smooth", smooth), null, false);
        picks(b, alreadyPicked); // any starting point: a cycle is a cycle wherever it starts
        int g = 0;
        long sum = 0;
        for (int x : w) {
            g = Weights.gcd(g, x);
            sum += x;
        }
        String cycle = picks(b, (int) (sum / g));
        for (int i = 0; i < w.length; i++) {
            char name = (char) ('A' + i);
            assertEquals(w[i] / g, cycle.chars().filter(c -> c == name).count(), "picks of " + name);
        }
    }

    @Property
    void smoothSequenceEqualsNginxs(@ForAll @Size(min = 1, max = 6) List<@IntRange(min = 1, max = 30) Integer> weights)
            throws ConfigException {
        int[] w = weights.stream().mapToInt(Integer::intValue).toArray();
        Balancer b = build(new WeightedRoundRobinFactory(), servers(w), Map.of("smooth", true), null, false);
        // ngx_http_upstream_get_peer, with weights reduced by their gcd (the same sequence, shorter numbers).
        int g = 0;
        for (int x : w) {
            g = Weights.gcd(g, x);
        }
        long[] current = new long[w.length];
        long total = 0;
        for (int x : w) {
            total += x / g;
        }
        StringBuilder expected = new StringBuilder();
        for (int k = 0; k < total * 2; k++) {
            int best = -1;
            for (int i = 0; i < w.length; i++) {
                current[i] += w[i] / g;
                if (best < 0 || current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= total;
            expected.append((char) ('A' + best));
        }
        assertEquals(expected.toString(), picks(b, (int) total * 2));
    }

    @Property
    void withAServerOutOfRotationACycleOfTheOthersIsExact(
            @ForAll @Size(min = 2, max = 6) List<@IntRange(min = 1, max = 20) Integer> weights,
            @ForAll @IntRange(max = 5) int removed, @ForAll @IntRange(max = 200) int alreadyPicked)
            throws ConfigException {
        int[] w = weights.stream().mapToInt(Integer::intValue).toArray();
        int r = removed % w.length;
        List<Server> s = servers(w);
        Balancer b = build(new WeightedRoundRobinFactory(), s, Map.of(), null, false);
        picks(b, alreadyPicked);
        b.setAvailable(s.get(r), false);
        int[] rest = w.clone();
        rest[r] = 0;
        int g = 0;
        long sum = 0;
        for (int x : rest) {
            g = Weights.gcd(g, x);
            sum += x;
        }
        String cycle = picks(b, (int) (sum / g));
        for (int i = 0; i < w.length; i++) {
            char name = (char) ('A' + i);
            assertEquals(rest[i] / g, cycle.chars().filter(c -> c == name).count(), "picks of " + name);
        }
    }

    @Property
    void bandsScannedGiveTheSameSequenceAsBandsStored(
            @ForAll @Size(min = 1, max = 12) List<@IntRange(max = 30) Integer> weights) {
        int[] w = weights.stream().mapToInt(Integer::intValue).toArray();
        Cycle stored = InterleavedCycle.of(w);
        Cycle scanned = InterleavedCycle.of(w, 0);
        assertEquals(stored.length(), scanned.length());
        for (long p = 0; p < 2 * stored.length(); p++) {
            assertEquals(stored.at(p), scanned.at(p), "position " + p);
        }
    }
}
