package dev.switchboard.spi.balance;

import dev.switchboard.spi.config.ConfigException;
import org.pf4j.ExtensionPoint;

/**
 * Builds the {@link Balancer} of one backend for one configuration generation. Its {@link #name()} is the
 * {@code loadBalancer.method} value it serves ({@code wrr}, {@code drr}, ...), compared case-insensitively.
 *
 * <p>Called off the event loops while a configuration is compiled; may block briefly, never on the network.
 * Invalid options: throw {@link ConfigException}; the configuration is rejected with the message.
 */
public interface BalancerFactory extends ExtensionPoint {

    /** The method name, for example {@code wrr}. */
    String name();

    /**
     * Builds a balancer. When the backend existed in the previous generation with the same method,
     * {@link BalancerContext#previous()} is its balancer, so state (cursor, learned weights) can be carried over when
     * the servers are unchanged.
     */
    Balancer create(BalancerContext context) throws ConfigException;
}
