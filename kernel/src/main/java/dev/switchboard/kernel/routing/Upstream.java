package dev.switchboard.kernel.routing;

import dev.switchboard.spi.model.Server;
import java.net.InetSocketAddress;

/**
 * One server of a backend, resolved for the network layer. Immutable; built once per configuration generation.
 *
 * @param server    the configured server (the identity balancers use)
 * @param address   where to connect (resolved at configuration time; unresolved if the name did not resolve,
 *                  which the network layer answers with 502)
 * @param authority the {@code host:port} sent as {@code Host} when the frontend does not pass the client's
 * @param poolKey   the key of this server's connection pool (scheme, host and port), stable across reloads
 */
public record Upstream(Server server, InetSocketAddress address, String authority, String poolKey) {

    /** Marker returned by {@link BackendRoute#pick} when the balancer failed: answer 502. */
    public static final Upstream FAILED = new Upstream(null, null, null, null);
}
