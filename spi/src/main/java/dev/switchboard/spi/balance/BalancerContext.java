package dev.switchboard.spi.balance;

import dev.switchboard.spi.model.Backend;
import dev.switchboard.spi.model.Server;
import java.util.List;

/**
 * What a {@link BalancerFactory} gets to build one backend's balancer.
 *
 * @param backend           the backend's configuration (its {@code loadBalancer} options included)
 * @param servers           the servers in a stable order (by name); the same {@link Server} instances are passed to
 *                          {@link Balancer#setAvailable} and {@link Balancer#record}
 * @param previous          the backend's balancer of the previous generation if it was made by the same factory, else null
 * @param allowMinWeightZero the static {@code AllowMinWeightZero}: false means weight 0 counts as 1
 */
public record BalancerContext(Backend backend, List<Server> servers, Balancer previous, boolean allowMinWeightZero) {
    public BalancerContext {
        servers = List.copyOf(servers);
    }
}
