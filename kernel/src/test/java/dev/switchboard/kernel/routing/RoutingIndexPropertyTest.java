package dev.switchboard.kernel.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.kernel.plugin.PluginHost;
import dev.switchboard.kernel.testing.Configs;
import dev.switchboard.kernel.testing.TestRequest;
import dev.switchboard.spi.model.Configuration;
import dev.switchboard.spi.model.Frontend;
import dev.switchboard.spi.model.Route;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The indexed router gives exactly the answer of a first-match scan of the frontends in priority order (priority
 * descending, name ascending), computed here independently from the configuration.
 */
class RoutingIndexPropertyTest {
    static PluginHost host;

    @BeforeContainer
    static void start() throws Exception {
        host = PluginHost.start(null, true);
    }

    @AfterContainer
    static void stop() {
        host.close();
    }

    record FrontendSpec(int priority, List<String> entryPoints, List<String> rules) {
    }

    @Provide
    Arbitrary<String> clause() {
        Arbitrary<String> hosts = Arbitraries.of("a.com", "B.com", "c.com").set().ofMinSize(1).ofMaxSize(2)
                .map(s -> "Host:" + String.join(",", new java.util.TreeSet<>(s)));
        Arbitrary<String> prefix = Arbitraries.of("/", "/x", "/x/y", "/z").map(p -> "PathPrefix: " + p);
        Arbitrary<String> method = Arbitraries.of("GET", "POST", "GET,POST").map(m -> "Method:" + m);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, hosts), net.jqwik.api.Tuple.of(3, prefix),
                net.jqwik.api.Tuple.of(1, method));
    }

    @Provide
    Arbitrary<List<FrontendSpec>> frontends() {
        Arbitrary<String> rule = clause().list().ofMinSize(1).ofMaxSize(2).map(l -> String.join(";", l));
        Arbitrary<FrontendSpec> f = Combinators.combine(
                Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, Arbitraries.just(0)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 30))),
                Arbitraries.of(List.<String>of(), List.of("http"), List.of("admin"), List.of("http", "admin")),
                rule.list().ofMinSize(1).ofMaxSize(2)).as(FrontendSpec::new);
        return f.list().ofMinSize(1).ofMaxSize(14);
    }

    @Provide
    Arbitrary<List<TestRequest>> requests() {
        return Combinators.combine(Arbitraries.of("http", "admin"), Arbitraries.of("GET", "POST"),
                Arbitraries.of("a.com", "b.com", "c.com", "d.com"),
                Arbitraries.of("/", "/x", "/x/y/z", "/z/1", "/q"))
                .as((ep, m, h, p) -> new TestRequest(ep, m, h, p, Map.of())).list().ofMinSize(1).ofMaxSize(30);
    }

    @Property(tries = 400)
    void indexedLookupAgreesWithFirstMatchScanInPriorityOrder(@ForAll("frontends") List<FrontendSpec> specs,
                                                              @ForAll("requests") List<TestRequest> requests)
            throws Exception {
        Configs c = Configs.config().backend("b", "http://127.0.0.1:1");
        for (int i = 0; i < specs.size(); i++) {
            FrontendSpec s = specs.get(i);
            // Names in shuffled order relative to insertion, to exercise the tie-break.
            c.frontend("f" + ((i * 7) % specs.size()) + "_" + i, "b", s.priority(), s.entryPoints(),
                    s.rules().toArray(String[]::new));
        }
        Configuration config = c.build();
        RoutingSettings settings = new RoutingSettings(Set.of("http", "admin"), List.of("http"), false, false);
        RoutingTable table = new RoutingCompiler(host.registry(), settings).compile(config, null).table();

        Map<String, CompiledFrontend> compiled = table.frontends().stream()
                .collect(Collectors.toMap(CompiledFrontend::name, Function.identity()));
        List<Frontend> order = new ArrayList<>(config.frontends().values());
        order.sort(Comparator.comparingInt(RoutingIndexPropertyTest::expectedPriority).reversed()
                .thenComparing(Frontend::name));
        for (TestRequest r : requests) {
            String expected = null;
            for (Frontend f : order) {
                List<String> eps = f.entryPoints().isEmpty() ? List.of("http") : f.entryPoints();
                if (eps.contains(r.entryPoint()) && compiled.get(f.name()).matches(r)) {
                    expected = f.name();
                    break;
                }
            }
            FrontendRoute got = table.route(r);
            assertEquals(expected, got == null ? null : got.name(), r.toString());
        }
    }

    static int expectedPriority(Frontend f) {
        if (f.priority() > 0) {
            return f.priority();
        }
        return f.routes().values().stream().map(Route::rule).mapToInt(String::length).sum();
    }
}
