package dev.switchboard.spi.model;

import java.util.Map;
import java.util.TreeMap;

/**
 * {@code [backends.NAME]}: a set of servers and how to use them.
 *
 * @param name               the backend name
 * @param servers            servers by name (sorted by name)
 * @param loadBalancer       the {@code loadBalancer} section; never null ({@code wrr} when absent)
 * @param circuitBreaker     the {@code circuitBreaker} section, or null
 * @param healthCheck        the {@code healthCheck} section, or null
 * @param maxConn            the {@code maxConn} section, or null
 * @param buffering          the {@code buffering} section, or null
 * @param responseForwarding the {@code responseForwarding} section, or null
 * @param origin             where it was defined
 */
public record Backend(String name, Map<String, Server> servers, LoadBalancer loadBalancer,
                      CircuitBreaker circuitBreaker, HealthCheck healthCheck, MaxConn maxConn, Buffering buffering,
                      ResponseForwarding responseForwarding, Origin origin) {
    public Backend {
        servers = java.util.Collections.unmodifiableMap(new TreeMap<>(servers));
        if (loadBalancer == null) {
            loadBalancer = LoadBalancer.DEFAULT;
        }
    }

    /** A backend with only servers, balanced by {@code wrr}. */
    public static Backend of(String name, Map<String, Server> servers) {
        return new Backend(name, servers, LoadBalancer.DEFAULT, null, null, null, null, null, Origin.UNKNOWN);
    }
}
