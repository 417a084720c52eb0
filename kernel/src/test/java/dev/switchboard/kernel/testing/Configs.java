package dev.switchboard.kernel.testing;

import dev.switchboard.spi.model.Backend;
import dev.switchboard.spi.model.Configuration;
import dev.switchboard.spi.model.Frontend;
import dev.switchboard.spi.model.LoadBalancer;
import dev.switchboard.spi.model.Origin;
import dev.switchboard.spi.model.Route;
import dev.switchboard.spi.model.Server;
import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds dynamic configurations for tests, with origins in a pretend file {@code dyn.toml}. */
public final class Configs {
    private final Map<String, Frontend> frontends = new LinkedHashMap<>();
    private final Map<String, Backend> backends = new LinkedHashMap<>();
    private int line = 1;

    public static Configs config() {
        return new Configs();
    }

    private Origin next() {
        return new Origin("dyn.toml", line++);
    }

    /** A frontend with one route per rule (routes named r0, r1, ...). */
    public Configs frontend(String name, String backend, int priority, List<String> entryPoints, String... rules) {
        Origin origin = next();
        Map<String, Route> routes = new HashMap<>();
        for (int i = 0; i < rules.length; i++) {
            routes.put("r" + i, new Route("r" + i, rules[i], next()));
        }
        frontends.put(name, new Frontend(name, entryPoints, backend, false, priority, routes, null, null, Map.of(),
                null, null, null, false, Map.of(), origin));
        return this;
    }

    public Configs frontend(String name, String backend, String... rules) {
        return frontend(name, backend, 0, List.of(), rules);
    }

    /** A backend balanced by {@code method} with servers s0, s1, ... at these URLs. */
    public Configs backendWith(String name, String method, String... urls) {
        Origin origin = next();
        Map<String, Server> servers = new HashMap<>();
        for (int i = 0; i < urls.length; i++) {
            servers.put("s" + i, new Server("s" + i, URI.create(urls[i]), 1, next()));
        }
        backends.put(name, new Backend(name, servers, new LoadBalancer(method, false, null, Map.of()), null, null,
                null, null, null, origin));
        return this;
    }

    public Configs backend(String name, String... urls) {
        return backendWith(name, "wrr", urls);
    }

    /** Gives backend {@code name} (already added) a {@code circuitBreaker} section on its own line. */
    public Configs circuitBreaker(String name, String expression, String language, Map<String, Object> options) {
        Backend b = backends.get(name);
        backends.put(name, new Backend(b.name(), b.servers(), b.loadBalancer(),
                new dev.switchboard.spi.model.CircuitBreaker(expression, language, options, next()), b.healthCheck(),
                b.maxConn(), b.buffering(), b.responseForwarding(), b.origin()));
        return this;
    }

    public Configuration build() {
        return new Configuration(frontends, backends);
    }
}
