package dev.switchboard.bench;

import dev.switchboard.kernel.plugin.PluginHost;
import dev.switchboard.kernel.routing.CompiledFrontend;
import dev.switchboard.kernel.routing.FrontendRoute;
import dev.switchboard.kernel.routing.RoutingCompiler;
import dev.switchboard.kernel.routing.RoutingSettings;
import dev.switchboard.kernel.routing.RoutingTable;
import dev.switchboard.spi.http.RequestView;
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
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link RoutingTable#route} alone, with 10 and with 10,000 frontends (issue 4: the cost with 10,000 must be at most
 * twice the cost with 10).
 *
 * <p>The table is compiled by the kernel's {@link RoutingCompiler} from a configuration, with the real core matchers
 * and balancers found on the class path the way the kernel finds class-path extensions
 * ({@code PluginHost.start(null, true)}), so every matcher call goes through the kernel's guard as in production.
 *
 * <p>Frontend {@code i} of {@code n} (a shape seen in multi-tenant Traefik v1 files: one host per service):
 * <ul>
 *   <li>most: {@code Host:svcI.example.com;PathPrefix:/api}</li>
 *   <li>one in ten: {@code PathPrefix:/legacy/I/} only (no host)</li>
 *   <li>one in ten: {@code Host:svcI.example.com} only</li>
 *   <li>one in fifty: {@code Host:svcI.example.com;Method:GET,HEAD}, another one in fifty:
 *       {@code Host:svcI.example.com;PathPrefix:/api;Headers:X-Tenant,tI}</li>
 * </ul>
 * Every frontend has its own host (or prefix), so each sample request reaches exactly the frontend it was made for;
 * setup checks that for all of them. {@code hitFirst}, {@code hitMiddle} and {@code hitLast} route a request for the
 * first, middle and last {@code Host + PathPrefix} frontend of the priority order (a first-match scan would try
 * every frontend before the last); {@code hitPrefixOnly} the last {@code PathPrefix}-only frontend (the trie, no
 * host); the misses are a host no frontend names, and a known host with a path its frontend does not accept.
 * {@code mix} cycles through all six.
 *
 * <p>The request view holds ready strings (as the kernel's view does once it has built them), so the numbers are
 * routing alone; {@code -prof gc}'s {@code gc.alloc.rate.norm} is the garbage per route.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RoutingBenchmark {

    /** Requests routed in setup by either size before measuring (see {@link #build}). */
    private static final int WARM_ROUTES = 60_000;

    @Param({"10", "10000"})
    public int frontends;

    private PluginHost plugins;
    private RoutingTable table;
    private BenchRequest first;
    private BenchRequest middle;
    private BenchRequest last;
    private BenchRequest prefixOnly;
    private BenchRequest unknownHost;
    private BenchRequest knownHostOtherPath;
    private BenchRequest[] mix;
    private int next;

    @Setup(Level.Trial)
    public void build() throws Exception {
        plugins = PluginHost.start(null, true);
        Map<String, Frontend> fronts = new LinkedHashMap<>();
        Map<String, BenchRequest> sample = new HashMap<>();
        Map<String, Backend> backends = new LinkedHashMap<>();
        int backendCount = Math.max(1, frontends / 100);
        for (int b = 0; b < backendCount; b++) {
            Map<String, Server> servers = Map.of("s0",
                    new Server("s0", URI.create("http://127.0.0.1:" + (20000 + b)), 1, Origin.UNKNOWN));
            backends.put("b" + b, new Backend("b" + b, servers, LoadBalancer.DEFAULT, null, null, null, null, null,
                    Origin.UNKNOWN));
        }
        for (int i = 0; i < frontends; i++) {
            String name = "f" + i;
            String host = "svc" + i + ".example.com";
            String rule;
            BenchRequest hit;
            if (i % 10 == 7) {
                rule = "PathPrefix:/legacy/" + i + "/";
                hit = new BenchRequest("GET", "www.example.com", "/legacy/" + i + "/index.html", null, null,
                        false);
            } else if (i % 10 == 5) {
                rule = "Host:" + host;
                hit = new BenchRequest("GET", host, "/", null, null, false);
            } else if (i % 50 == 3) {
                rule = "Host:" + host + ";Method:GET,HEAD";
                hit = new BenchRequest("HEAD", host, "/status", null, null, false);
            } else if (i % 50 == 13) {
                rule = "Host:" + host + ";PathPrefix:/api;Headers:X-Tenant,t" + i;
                hit = new BenchRequest("POST", host, "/api/orders/42", "X-Tenant", "t" + i, false);
            } else {
                rule = "Host:" + host + ";PathPrefix:/api";
                hit = new BenchRequest("GET", host, "/api/users/42", null, null, true);
            }
            Map<String, Route> routes = Map.of("r0", new Route("r0", rule, Origin.UNKNOWN));
            fronts.put(name, new Frontend(name, List.of(), "b" + (i % backendCount), false, 0, routes, null, null,
                    Map.of(), null, null, null, false, Map.of(), Origin.UNKNOWN));
            sample.put(name, hit);
        }
        RoutingSettings settings = RoutingSettings.defaults();
        table = new RoutingCompiler(plugins.registry(), settings)
                .compile(new Configuration(fronts, backends), null).table();

        // Positions among the Host + PathPrefix frontends in priority order, so that both sizes do the same matcher
        // work and only the position (which a first-match scan pays for) differs.
        List<String> plain = table.frontends().stream().map(CompiledFrontend::name)
                .filter(name -> sample.get(name).plain()).toList();
        first = sample.get(plain.get(0));
        middle = sample.get(plain.get(plain.size() / 2));
        last = sample.get(plain.get(plain.size() - 1));
        String lastPrefixOnly = null;
        for (CompiledFrontend f : table.frontends()) {
            if (sample.get(f.name()).host().equals("www.example.com")) {
                lastPrefixOnly = f.name();
            }
        }
        prefixOnly = sample.get(lastPrefixOnly);
        unknownHost = new BenchRequest("GET", "unknown.example.org", "/api/users/42", null, null, false);
        // frontend 0 is Host + PathPrefix:/api: its host with another path matches nothing
        knownHostOtherPath = new BenchRequest("GET", "svc0.example.com", "/static/logo.png", null, null, false);
        // Every sample reaches its frontend. Each size routes the same number of requests here (the samples in
        // turn, and the misses): the JIT compiles route() for traffic of every kind in both forks, not, with 10
        // frontends, for the one request an iteration repeats (which would flatter the small table).
        for (int done = 0; done < WARM_ROUTES; ) {
            for (Map.Entry<String, BenchRequest> e : sample.entrySet()) {
                expect(e.getValue(), e.getKey());
                expect(unknownHost, null);
                expect(knownHostOtherPath, null);
                done += 3;
            }
        }
        mix = new BenchRequest[] {first, middle, last, prefixOnly, unknownHost, knownHostOtherPath};
    }

    private void expect(BenchRequest r, String frontend) {
        FrontendRoute got = table.route(r);
        String name = got == null ? null : got.name();
        if (!Objects.equals(name, frontend)) {
            throw new IllegalStateException(r + " routed to " + name + ", expected " + frontend);
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        plugins.close();
    }

    @Benchmark
    public FrontendRoute hitFirst() {
        return table.route(first);
    }

    @Benchmark
    public FrontendRoute hitMiddle() {
        return table.route(middle);
    }

    @Benchmark
    public FrontendRoute hitLast() {
        return table.route(last);
    }

    @Benchmark
    public FrontendRoute hitPrefixOnly() {
        return table.route(prefixOnly);
    }

    @Benchmark
    public FrontendRoute missUnknownHost() {
        return table.route(unknownHost);
    }

    @Benchmark
    public FrontendRoute missKnownHostOtherPath() {
        return table.route(knownHostOtherPath);
    }

    /** One route per call, cycling through the four hits and the two misses. */
    @Benchmark
    public FrontendRoute mix() {
        int i = next;
        next = i == mix.length - 1 ? 0 : i + 1;
        return table.route(mix[i]);
    }

    /**
     * A request head with its strings ready; at most one extra header field. No allocation per call. {@code plain}:
     * made for a {@code Host + PathPrefix} frontend.
     */
    record BenchRequest(String method, String host, String path, String headerName, String headerValue,
                        boolean plain) implements RequestView {
        @Override
        public String rawHost() {
            return host;
        }

        @Override
        public String query() {
            return "";
        }

        @Override
        public String queryParameter(String name) {
            return null;
        }

        @Override
        public String header(String name) {
            if (headerName != null && headerName.equalsIgnoreCase(name)) {
                return headerValue;
            }
            return "host".equalsIgnoreCase(name) ? host : null;
        }

        @Override
        public List<String> headers(String name) {
            String v = header(name);
            return v == null ? List.of() : List.of(v);
        }

        @Override
        public String clientAddress() {
            return "127.0.0.1";
        }

        @Override
        public String entryPoint() {
            return "http";
        }

        @Override
        public boolean secure() {
            return false;
        }
    }
}
