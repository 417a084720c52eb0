package dev.switchboard.kernel.routing;

import dev.switchboard.kernel.balance.BackendBalancing;
import dev.switchboard.kernel.breaker.CircuitBreaker;
import dev.switchboard.spi.http.RequestView;

/**
 * A backend as the network layer uses it: choose a server, report the outcome. Thread-safe; shared by every loop.
 * Everything here runs on an event loop and must not block.
 */
public interface BackendRoute {

    /** The backend name, for logs. */
    String name();

    /**
     * The server for this request, or null when none is available (the client gets 503). Never throws: a failing
     * balancer plugin is turned into {@link Upstream#FAILED} (the client gets 502).
     */
    Upstream pick(RequestView request);

    /**
     * The outcome of one request sent (or meant) to {@code upstream}: the status the client got (502/504 for network
     * errors, whether the proxy produced them or the server did) and the time to the response head.
     */
    void record(Upstream upstream, int status, long latencyNanos);

    /** Stickiness, {@code maxConn}, retries and health of this backend ({@code kernel.balance}); never null. */
    default BackendBalancing balancing() {
        return BackendBalancing.NONE;
    }

    /**
     * The backend's circuit breaker, or null when it has no {@code circuitBreaker} section. The network layer asks it
     * {@link CircuitBreaker#admit} before {@link #pick} and answers its fallback without touching a server when it
     * says so; it reports every admitted request's outcome to it from the loop's own stripe.
     */
    default CircuitBreaker breaker() {
        return null;
    }
}
