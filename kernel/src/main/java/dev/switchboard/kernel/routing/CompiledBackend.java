package dev.switchboard.kernel.routing;

import dev.switchboard.kernel.balance.BackendBalancing;
import dev.switchboard.kernel.breaker.CircuitBreaker;
import dev.switchboard.kernel.plugin.ExtensionRef;
import dev.switchboard.kernel.plugin.GuardedBalancer;
import dev.switchboard.kernel.plugin.PluginFailureLog;
import dev.switchboard.spi.http.RequestView;
import dev.switchboard.spi.model.Backend;
import dev.switchboard.spi.model.Server;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One backend of a {@link RoutingTable}: its balancer (from the plugin named by {@code loadBalancer.method}) and its
 * servers resolved to {@link Upstream}s. Immutable apart from the balancer's own state; shared by every loop.
 */
public final class CompiledBackend implements BackendRoute {
    private final Backend config;
    private final GuardedBalancer balancer;
    private final List<Upstream> upstreams;
    private final IdentityHashMap<Server, Upstream> byInstance = new IdentityHashMap<>();
    private final Map<Server, Upstream> byValue = new HashMap<>();
    private final BackendBalancing balancing;
    private final CircuitBreaker breaker;

    CompiledBackend(Backend config, GuardedBalancer balancer, List<Upstream> upstreams) {
        this(config, balancer, upstreams, BackendBalancing.NONE, null);
    }

    /**
     * @param balancing stickiness, {@code maxConn}, retries and health ({@code kernel.balance}); never null
     * @param breaker   the circuit breaker, or null when the backend has none
     */
    CompiledBackend(Backend config, GuardedBalancer balancer, List<Upstream> upstreams, BackendBalancing balancing,
                    CircuitBreaker breaker) {
        this.balancing = balancing;
        this.breaker = breaker;
        this.config = config;
        this.balancer = balancer;
        this.upstreams = List.copyOf(upstreams);
        for (Upstream u : upstreams) {
            byInstance.put(u.server(), u);
            byValue.put(u.server(), u);
        }
    }

    @Override
    public String name() {
        return config.name();
    }

    /** The configuration it was built from. */
    public Backend config() {
        return config;
    }

    /** Its servers, in name order. */
    public List<Upstream> upstreams() {
        return upstreams;
    }

    /** The guarded balancer (its {@link GuardedBalancer#unwrap()} goes to the next generation). */
    public GuardedBalancer balancer() {
        return balancer;
    }

    /** The backend's circuit breaker, or null without a {@code circuitBreaker} section. */
    @Override
    public CircuitBreaker breaker() {
        return breaker;
    }

    @Override
    public BackendBalancing balancing() {
        return balancing;
    }

    @Override
    public Upstream pick(RequestView request) {
        Server s = balancer.pick(request);
        if (s == null) {
            return null;
        }
        if (s == GuardedBalancer.FAILED) {
            return Upstream.FAILED;
        }
        Upstream u = byInstance.get(s);
        if (u == null) {
            // A balancer carried over from a previous generation may hand back an equal, older Server instance.
            u = byValue.get(s);
        }
        if (u == null) {
            ExtensionRef ref = balancer.ref();
            PluginFailureLog.SHARED.failed(ref, "picking a server of backend '" + name() + "' (answered 502)",
                    new IllegalStateException("picked server " + s.name() + " (" + s.url() + ") is not one of the "
                            + "backend's servers"));
            return Upstream.FAILED;
        }
        return u;
    }

    @Override
    public void record(Upstream upstream, int status, long latencyNanos) {
        if (upstream == null || upstream.server() == null) {
            return;
        }
        balancer.record(upstream.server(), status, latencyNanos);
    }
}
