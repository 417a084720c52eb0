package dev.switchboard.kernel.routing;

import dev.switchboard.spi.http.RequestView;

/**
 * The routing decision for one request: which frontend (and so which backend) serves it.
 *
 * <p>This is the seam between the network layer ({@code kernel.net}) and configuration ({@code kernel.routing}).
 * An implementation is one immutable configuration generation, published through one volatile reference
 * ({@link RouterHolder}); the network layer reads it once per request, so a request finishes on the generation it
 * started with.
 *
 * <p>Called on an event loop for every request, from every loop at once: no blocking, no lock.
 */
public interface Router {

    /** A router that matches nothing (every request gets 404): the state before the first configuration. */
    Router EMPTY = request -> null;

    /**
     * The frontend for {@code request} (which knows its entry point), or null if none matches (the client gets 404).
     */
    FrontendRoute route(RequestView request);
}
