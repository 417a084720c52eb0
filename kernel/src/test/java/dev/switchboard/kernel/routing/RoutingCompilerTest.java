package dev.switchboard.kernel.routing;

import static dev.switchboard.kernel.testing.Configs.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.kernel.plugin.ExtensionRegistry;
import dev.switchboard.kernel.plugin.PluginHost;
import dev.switchboard.kernel.testing.TestMatchers;
import dev.switchboard.kernel.testing.TestRequest;
import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.config.ConfigProblem;
import dev.switchboard.spi.match.Modifier;
import dev.switchboard.spi.model.Configuration;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RoutingCompilerTest {
    static PluginHost host;
    static ExtensionRegistry registry;
    static final RoutingSettings SETTINGS = new RoutingSettings(Set.of("http", "admin"), List.of("http"), false,
            false);

    @BeforeAll
    static void start() throws Exception {
        host = PluginHost.start(null, true);
        registry = host.registry();
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    static RoutingTable compile(Configuration c) throws ConfigException {
        return new RoutingCompiler(registry, SETTINGS).compile(c, null).table();
    }

    static List<String> errors(Configuration c) {
        ConfigException e = assertThrows(ConfigException.class, () -> compile(c));
        return e.problems().stream().map(ConfigProblem::toString).collect(Collectors.toList());
    }

    static String routed(RoutingTable t, String entryPoint, String host, String path) {
        FrontendRoute f = t.route(TestRequest.get(entryPoint, host, path));
        return f == null ? null : f.name();
    }

    @Test
    void longerRulesWinByDefaultAndExplicitPriorityOverridesLength() throws Exception {
        RoutingTable t = compile(config()
                .frontend("short", "b", "PathPrefix:/")
                .frontend("long", "b", "PathPrefix:/api")
                .frontend("pinned", "b", 1000, List.of(), "PathPrefix:/api/pinned")
                .frontend("lowered", "b", 1, List.of(), "PathPrefix:/api/v2/very/long/prefix")
                .backend("b", "http://127.0.0.1:1").build());
        assertEquals(List.of("pinned", "long", "short", "lowered"),
                t.frontends().stream().map(CompiledFrontend::name).collect(Collectors.toList()));
        assertEquals("long", routed(t, "http", "a", "/api/x"));
        assertEquals("short", routed(t, "http", "a", "/other"));
        assertEquals("pinned", routed(t, "http", "a", "/api/pinned"));
        assertEquals("long", routed(t, "http", "a", "/api/v2/very/long/prefix"), "priority 1 loses to length 15");
        assertEquals(15, t.frontends().get(1).priority());
    }

    @Test
    void priorityIsTheRawLengthOfAllRoutesSummedAndTiesGoToTheFirstName() throws Exception {
        RoutingTable t = compile(config()
                .frontend("zeta", "b", "Host: a.com")          // 11, spaces count
                .frontend("alpha", "b", "Host:a.com", "Method:GET") // 10 + 10 = 20
                .frontend("beta", "b", "Host:a.com;Method:GET") // 21
                .frontend("gamma", "b", "Host:a.com", "Method:GET") // 20, same as alpha
                .backend("b", "http://127.0.0.1:1").build());
        assertEquals(List.of("beta:21", "alpha:20", "gamma:20", "zeta:11"), t.frontends().stream()
                .map(f -> f.name() + ":" + f.priority()).collect(Collectors.toList()));
        assertEquals("beta", routed(t, "http", "a.com", "/"));
        // With beta gone, the tie between alpha and gamma goes to alpha, every time.
        RoutingTable t2 = compile(config()
                .frontend("gamma", "b", "Host:a.com", "Method:GET")
                .frontend("alpha", "b", "Host:a.com", "Method:GET")
                .backend("b", "http://127.0.0.1:1").build());
        assertEquals("alpha", routed(t2, "http", "a.com", "/"));
    }

    @Test
    void frontendsAnswerOnlyOnTheirEntryPointsDefaultingToDefaultEntryPoints() throws Exception {
        RoutingTable t = compile(config()
                .frontend("public", "b", "PathPrefix:/")
                .frontend("private", "b", 0, List.of("admin"), "PathPrefix:/")
                .backend("b", "http://127.0.0.1:1").build());
        assertEquals("public", routed(t, "http", "a", "/"));
        assertEquals("private", routed(t, "admin", "a", "/"));
        assertNull(routed(t, "elsewhere", "a", "/"));
    }

    @Test
    void allRoutesOfAFrontendAreAnded() throws Exception {
        RoutingTable t = compile(config()
                .frontend("f", "b", "Host:a.com", "PathPrefix:/x")
                .backend("b", "http://127.0.0.1:1").build());
        assertEquals("f", routed(t, "http", "a.com", "/x/1"));
        assertNull(routed(t, "http", "a.com", "/y"));
        assertNull(routed(t, "http", "b.com", "/x"));
    }

    @Test
    void frontendWhoseHostClausesExcludeEachOtherIsWarnedAndNeverMatches() throws Exception {
        RoutingCompiler.Result r = new RoutingCompiler(registry, SETTINGS).compile(config()
                .frontend("both", "b", "Host:a.com", "Host:b.com")
                .backend("b", "http://127.0.0.1:1").build(), null);
        assertEquals(1, r.warnings().size());
        assertTrue(r.warnings().get(0).toString().startsWith("dyn.toml:1: frontends.both.routes: frontend 'both' can "
                + "never match"), r.warnings().toString());
        assertNull(routed(r.table(), "http", "a.com", "/"));
    }

    @Test
    void modifiersRunInTheirDeclaredOrderWhateverTheRuleOrder() throws Exception {
        RoutingTable t = compile(config()
                .frontend("f", "b", "ReplacePath:/r;AddPrefix:/p")
                .backend("b", "http://127.0.0.1:1").build());
        List<Modifier> m = t.frontends().get(0).modifiers();
        assertEquals(List.of(Modifier.ADD_PREFIX, Modifier.REPLACE_PATH),
                m.stream().map(Modifier::order).collect(Collectors.toList()));
    }

    @Test
    void backendServersResolveToUpstreamsAndTheBalancerPicksAmongThem() throws Exception {
        RoutingTable t = compile(config()
                .frontend("f", "b", "PathPrefix:/")
                .backend("b", "http://127.0.0.1:8081/ignored/path", "http://LOCALHOST:8082", "http://[::1]:8083")
                .build());
        CompiledBackend b = t.backends().get("b");
        List<Upstream> u = b.upstreams();
        assertEquals("127.0.0.1:8081", u.get(0).authority());
        assertEquals("http://127.0.0.1:8081", u.get(0).poolKey());
        assertEquals(InetAddress.getByName("127.0.0.1"), u.get(0).address().getAddress());
        assertEquals("localhost:8082", u.get(1).authority());
        assertEquals("[::1]:8083", u.get(2).authority());
        assertFalse(u.get(0).address().isUnresolved());
        FrontendRoute f = t.route(TestRequest.get("http", "a", "/"));
        assertSame(b, f.backend());
        assertSame(u.get(0), f.backend().pick(TestRequest.get("http", "a", "/")));
        assertSame(u.get(1), f.backend().pick(TestRequest.get("http", "a", "/")));
    }

    @Test
    void balancerOfTheSameMethodIsHandedToTheNextGenerationSoStateSurvivesReloads() throws Exception {
        Configuration c = config().frontend("f", "b", "PathPrefix:/")
                .backend("b", "http://127.0.0.1:1", "http://127.0.0.1:2").build();
        RoutingCompiler compiler = new RoutingCompiler(registry, SETTINGS);
        RoutingTable first = compiler.compile(c, null).table();
        first.backends().get("b").pick(TestRequest.get("http", "a", "/"));
        RoutingTable second = compiler.compile(c, first).table();
        assertNotSame(first, second);
        TestMatchers.Cursor cursor = (TestMatchers.Cursor) second.backends().get("b").balancer().unwrap();
        assertTrue(cursor.inherited());
        assertEquals("s1", second.backends().get("b").pick(TestRequest.get("http", "a", "/")).server().name(),
                "the cursor continued where the first generation left it");
    }

    @Test
    void everyErrorOfASnapshotIsReportedTogetherWithFileLineKeyAndNames() {
        List<String> errors = errors(config()
                .frontend("typo", "b", "Hots: a.com")                            // dyn.toml:1, route at 2
                .frontend("badArgs", "b", "PathPrefix: nope")                    // 3, 4
                .frontend("noBackend", "missing", "PathPrefix:/")                // 5, 6
                .frontend("wrongEp", "b", 0, List.of("https"), "PathPrefix:/")  // 7, 8
                .backend("b", "http://127.0.0.1:1")                              // 9, 10
                .backendWith("c", "rrr", "ftp://127.0.0.1:1")                        // 11, 12
                .build());
        assertEquals(List.of(
                "dyn.toml:12: backends.c.servers.s0.url: backend 'c', server 's0': url \"ftp://127.0.0.1:1\" has "
                        + "scheme \"ftp\"; expected http, https or h2c",
                "dyn.toml:11: backends.c.loadBalancer.method: backend 'c': unknown load-balancing method \"rrr\"; "
                        + "did you mean \"wrr\"? (known: wrr)",
                "dyn.toml:4: frontends.badArgs.routes.r0.rule: frontend 'badArgs', route 'r0', rule \"PathPrefix: "
                        + "nope\": path prefix \"nope\" must start with /",
                "dyn.toml:5: frontends.noBackend.backend: frontend 'noBackend': unknown backend \"missing\"",
                "dyn.toml:2: frontends.typo.routes.r0.rule: frontend 'typo', route 'r0', rule \"Hots: a.com\": "
                        + "unknown function \"Hots\"; did you mean \"Host\"? (known: AddPrefix, Host, Method, "
                        + "PathPrefix, ReplacePath)",
                "dyn.toml:7: frontends.wrongEp.entryPoints: frontend 'wrongEp': unknown entry point \"https\"; "
                        + "did you mean \"http\"? (defined: admin, http)"), errors);
    }

    @Test
    void providersDefiningTheSameNameAreAnErrorNamingBoth() {
        Configuration a = config().frontend("f", "b", "PathPrefix:/").backend("b", "http://127.0.0.1:1").build();
        Configuration b = config().frontend("f", "b2", "PathPrefix:/").backend("b2", "http://127.0.0.1:1").build();
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigurationMerger.merge(Map.of("file", a, "etcd", b)));
        assertEquals(1, e.problems().size());
        String p = e.problems().get(0).toString();
        assertTrue(p.contains("frontend 'f' is defined by provider 'etcd'") && p.contains("by provider 'file'"), p);
    }
}
