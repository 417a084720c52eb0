package dev.switchboard.plugins.balancers;

import dev.switchboard.spi.model.Server;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The mutable part of a weighted round robin: the cursor, which servers are in rotation and the cycle built from
 * their weights. Shared by the balancers of successive configuration generations while the servers and weights stay
 * the same, so a reload does not restart the sequence.
 *
 * <p>Threads: {@link #pick()} from every event loop (one atomic increment, one volatile read, no lock, no
 * allocation); {@link #setAvailable} and {@link #setWeights} are rare and serialised by this object's monitor, and
 * publish a new cycle with one volatile write.
 */
final class RoundRobinState {
    private final List<Server> servers;
    private final Map<Server, Integer> index;
    private final Function<int[], Cycle> cycles;
    private final AtomicLong cursor;
    private final boolean[] available;   // guarded by this
    private int[] weights;               // guarded by this
    private volatile Cycle cycle;

    RoundRobinState(List<Server> servers, int[] weights, boolean[] available, long cursor,
                    Function<int[], Cycle> cycles) {
        this.servers = List.copyOf(servers);
        Map<Server, Integer> byServer = new HashMap<>();
        for (int i = this.servers.size() - 1; i >= 0; i--) {
            byServer.put(this.servers.get(i), i);
        }
        this.index = byServer;
        this.weights = weights.clone();
        this.available = available.clone();
        this.cycles = cycles;
        this.cursor = new AtomicLong(cursor);
        this.cycle = cycles.apply(Weights.masked(this.weights, this.available));
    }

    /** The next server, or null when none is in rotation or every weight is 0. */
    Server pick() {
        Cycle c = cycle;
        if (c.length() == 0) {
            return null;
        }
        return servers.get(c.at(cursor.getAndIncrement()));
    }

    /**
     * Index of {@code server}, or -1. Equal servers count (a record is {@code equals} by name, URL and weight), so an
     * earlier generation's instances work too. A hash lookup: no allocation.
     */
    int indexOf(Server server) {
        Integer i = server == null ? null : index.get(server);
        return i == null ? -1 : i;
    }

    synchronized void setAvailable(Server server, boolean up) {
        int i = indexOf(server);
        if (i < 0 || available[i] == up) {
            return;
        }
        available[i] = up;
        cycle = cycles.apply(Weights.masked(weights, available));
    }

    synchronized void setWeights(int[] newWeights) {
        weights = newWeights.clone();
        cycle = cycles.apply(Weights.masked(weights, available));
    }

    synchronized int[] weights() {
        return weights.clone();
    }

    synchronized boolean[] availability() {
        return available.clone();
    }

    synchronized boolean isAvailable(int index) {
        return available[index];
    }

    long cursor() {
        return cursor.get();
    }

    List<Server> servers() {
        return servers;
    }

    /** The availability of {@code servers} as {@code previous} knew it (true for servers it did not have). */
    static boolean[] availabilityFrom(RoundRobinState previous, List<Server> servers) {
        boolean[] up = new boolean[servers.size()];
        Arrays.fill(up, true);
        if (previous != null) {
            boolean[] old = previous.availability();
            for (int i = 0; i < up.length; i++) {
                int j = previous.servers.indexOf(servers.get(i));
                if (j >= 0) {
                    up[i] = old[j];
                }
            }
        }
        return up;
    }
}
