package com.example.switchboard.p2c;

import dev.switchboard.spi.balance.Balancer;
import dev.switchboard.spi.http.RequestView;
import dev.switchboard.spi.model.Server;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Of two distinct available servers drawn at random, picks the one with fewer requests in flight (ties: the first
 * drawn, itself random).
 *
 * <p><b>In flight</b> means picked and not yet recorded: {@link #pick} counts a request in, {@link #record} counts it
 * out. The kernel records once per picked request, when the response head arrives or the exchange fails (502, 504,
 * 499 when the client left first), so the count is "waiting for the server's answer".
 *
 * <p><b>Threads.</b> Every event loop calls {@link #pick} and {@link #record} at once. Both are lock-free and
 * allocation-free: the counters are an {@link AtomicIntegerArray}, the random draw is {@link ThreadLocalRandom}, the
 * server-to-index map is read-only after construction. {@link #setAvailable} (health checks) writes another atomic
 * array.
 *
 * <p><b>Reloads.</b> When the next generation has the same servers, it shares this generation's counters, so
 * requests still in flight on the old generation (recorded through the old balancer) keep counting.
 */
final class PowerOfTwoChoices implements Balancer {
    private final Server[] servers;
    private final Map<Server, Integer> index = new HashMap<>();
    private final AtomicIntegerArray inFlight;
    private final AtomicIntegerArray available;

    PowerOfTwoChoices(List<Server> servers, PowerOfTwoChoices previous) {
        this.servers = servers.toArray(Server[]::new);
        for (int i = 0; i < this.servers.length; i++) {
            index.put(this.servers[i], i);
        }
        boolean same = previous != null && java.util.Arrays.equals(previous.servers, this.servers);
        this.inFlight = same ? previous.inFlight : new AtomicIntegerArray(this.servers.length);
        this.available = new AtomicIntegerArray(this.servers.length);
        for (int i = 0; i < this.servers.length; i++) {
            available.set(i, same ? previous.available.get(i) : 1);
        }
    }

    @Override
    public Server pick(RequestView request) {
        int n = servers.length;
        if (n == 0) {
            return null;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int a = nextAvailable(random.nextInt(n));
        if (a < 0) {
            return null;
        }
        int chosen = a;
        if (n > 1) {
            // The second draw is among the other n-1 positions, so the two candidates differ whenever two are up.
            int b = nextAvailable((a + 1 + random.nextInt(n - 1)) % n);
            if (b >= 0 && b != a && inFlight.get(b) < inFlight.get(a)) {
                chosen = b;
            }
        }
        inFlight.incrementAndGet(chosen);
        return servers[chosen];
    }

    /** The first available server at or after {@code from} (wrapping), or -1 if none is. */
    private int nextAvailable(int from) {
        int n = servers.length;
        for (int k = 0; k < n; k++) {
            int i = (from + k) % n;
            if (available.get(i) != 0) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void record(Server server, int status, long latencyNanos) {
        Integer i = index.get(server);
        if (i == null) {
            return;
        }
        // Never below zero, even if the kernel ever recorded a request this balancer did not pick.
        inFlight.getAndUpdate(i, v -> v > 0 ? v - 1 : 0);
    }

    @Override
    public void setAvailable(Server server, boolean up) {
        Integer i = index.get(server);
        if (i != null) {
            available.set(i, up ? 1 : 0);
        }
    }

    /** Requests in flight per server, in server order (for tests and diagnostics). */
    int[] inFlight() {
        int[] counts = new int[servers.length];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = inFlight.get(i);
        }
        return counts;
    }
}
