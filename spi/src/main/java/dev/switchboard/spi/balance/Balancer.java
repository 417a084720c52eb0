package dev.switchboard.spi.balance;

import dev.switchboard.spi.http.RequestView;
import dev.switchboard.spi.model.Server;

/**
 * Chooses a server of one backend for each request, and learns from outcomes.
 *
 * <p><b>Threads.</b> One balancer serves its backend on every event loop at once, so every method is thread-safe.
 * <b>Hot path:</b> {@link #pick} and {@link #record} run for every request on an event loop: no lock on the common
 * path, no allocation, no blocking. {@link #setAvailable} comes from health checks and is rare.
 *
 * <p><b>Lifetime.</b> One configuration generation, possibly handed to the next generation's factory as
 * {@link BalancerContext#previous()}.
 *
 * <p><b>Errors.</b> A balancer that throws answers that request with 502 (logged with the plugin's id); the connection
 * and the loop are unaffected.
 */
public interface Balancer {

    /**
     * The server for this request among those currently available, or null if none is (the client gets 503).
     * Stickiness is handled by the kernel before this is called.
     */
    Server pick(RequestView request);

    /**
     * The outcome of one request sent to {@code server}: the status the client got for it (502 and 504 mean a
     * network error, as in oxy) and the time from sending the request to receiving the whole response head.
     */
    default void record(Server server, int status, long latencyNanos) {
    }

    /** A health check took {@code server} out of rotation ({@code false}) or put it back ({@code true}). */
    default void setAvailable(Server server, boolean available) {
    }

    /** Current effective weights for the API and logs, in server order; defaults to the configured weights. */
    default int[] weights() {
        return null;
    }
}
