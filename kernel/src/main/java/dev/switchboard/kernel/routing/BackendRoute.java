package dev.switchboard.kernel.routing;

import dev.switchboard.kernel.balance.BackendBalancing;
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
}
