package dev.switchboard.kernel.net;

import dev.switchboard.kernel.routing.BackendRoute;
import dev.switchboard.kernel.routing.FrontendRoute;
import dev.switchboard.kernel.routing.Router;
import dev.switchboard.kernel.routing.Upstream;
import dev.switchboard.spi.http.RequestView;
import dev.switchboard.spi.match.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** A router for tests: frontends tried in order, each with a host (or any) and a path prefix. */
final class StubRouter implements Router {
    record Rule(String host, String pathPrefix, FrontendRoute frontend) {
    }

    final List<Rule> rules = new CopyOnWriteArrayList<>();
    final List<RequestView> seen = new CopyOnWriteArrayList<>();
    final List<String> seenPaths = new CopyOnWriteArrayList<>();
    final List<String> seenHosts = new CopyOnWriteArrayList<>();

    StubRouter add(String host, String pathPrefix, FrontendRoute frontend) {
        rules.add(new Rule(host, pathPrefix, frontend));
        return this;
    }

    @Override
    public FrontendRoute route(RequestView request) {
        seenPaths.add(request.path());
        seenHosts.add(request.host());
        for (Rule r : rules) {
            if ((r.host == null || r.host.equals(request.host())) && request.path().startsWith(r.pathPrefix)) {
                return r.frontend;
            }
        }
        return null;
    }

    record Frontend(String name, boolean passHostHeader, List<Modifier> modifiers, BackendRoute backend)
            implements FrontendRoute {
    }

    static Frontend frontend(String name, BackendRoute backend) {
        return new Frontend(name, false, List.of(), backend);
    }

    record Outcome(Upstream upstream, int status, long latencyNanos) {
    }

    /** Round robin over its servers; records every outcome. */
    static final class Backend implements BackendRoute {
        final String name;
        final List<Upstream> servers;
        final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
        private final AtomicInteger next = new AtomicInteger();
        Function<RequestView, Upstream> picker;
        /** The backend's circuit breaker, or null. */
        volatile dev.switchboard.kernel.breaker.CircuitBreaker breaker;
        final AtomicInteger picks = new AtomicInteger();

        Backend(String name, Upstream... servers) {
            this.name = name;
            this.servers = new ArrayList<>(List.of(servers));
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public dev.switchboard.kernel.breaker.CircuitBreaker breaker() {
            return breaker;
        }

        @Override
        public Upstream pick(RequestView request) {
            picks.incrementAndGet();
            if (picker != null) {
                return picker.apply(request);
            }
            if (servers.isEmpty()) {
                return null;
            }
            return servers.get(Math.floorMod(next.getAndIncrement(), servers.size()));
        }

        @Override
        public void record(Upstream upstream, int status, long latencyNanos) {
            outcomes.add(new Outcome(upstream, status, latencyNanos));
        }

        List<Integer> statuses() {
            return outcomes.stream().map(Outcome::status).toList();
        }
    }
}
