package dev.switchboard.kernel.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.kernel.plugin.PluginHost;
import dev.switchboard.kernel.routing.CompiledBackend;
import dev.switchboard.kernel.routing.RoutingCompiler;
import dev.switchboard.kernel.routing.RoutingSettings;
import dev.switchboard.kernel.routing.RoutingTable;
import dev.switchboard.kernel.testing.Poll;
import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.config.ConfigProblem;
import dev.switchboard.spi.model.Backend;
import dev.switchboard.spi.model.Configuration;
import dev.switchboard.spi.model.HealthCheck;
import dev.switchboard.spi.model.LoadBalancer;
import dev.switchboard.spi.model.MaxConn;
import dev.switchboard.spi.model.Origin;
import dev.switchboard.spi.model.Server;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Balancing state across configuration generations, compiled by the real {@link RoutingCompiler}. */
class BalancingReloadTest {
    static PluginHost host;
    final HealthChecker checker = new HealthChecker(Duration.ofMillis(50));
    final RoutingCompiler compiler;

    BalancingReloadTest() {
        compiler = new RoutingCompiler(host.registry(), RoutingSettings.defaults(), new BalancingSettings(0, checker),
                null);
    }

    @BeforeAll
    static void start() throws Exception {
        host = PluginHost.start(null, true);
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    @AfterEach
    void stopChecker() {
        checker.close();
    }

    static Backend backend(String name, HealthCheck check, MaxConn maxConn, String... urls) {
        Map<String, Server> servers = new java.util.TreeMap<>();
        for (int i = 0; i < urls.length; i++) {
            servers.put("s" + i, new Server("s" + i, URI.create(urls[i]), 1, Origin.UNKNOWN));
        }
        return new Backend(name, servers, new LoadBalancer("wrr", false,
                new LoadBalancer.Stickiness("pin", false, false, null), Map.of()), null, check, maxConn, null, null,
                Origin.UNKNOWN);
    }

    static Configuration config(Backend... backends) {
        Map<String, Backend> map = new java.util.TreeMap<>();
        for (Backend b : backends) {
            map.put(b.name(), b);
        }
        return new Configuration(Map.of(), map);
    }

    RoutingTable publish(Configuration c, RoutingTable previous) throws ConfigException {
        RoutingTable t = compiler.compile(c, previous).table();
        checker.adopt(t);
        return t;
    }

    @Test
    void healthOfAnUnchangedServerSurvivesAReloadAndGoneBackendsStopBeingProbed() throws Exception {
        try (HealthCheckerTest.Probed up = new HealthCheckerTest.Probed();
             HealthCheckerTest.Probed failing = new HealthCheckerTest.Probed()) {
            failing.status.set(500);
            HealthCheck check = new HealthCheck("/health", null, null, 0, null, null, Map.of(), 1, 1);
            String upUrl = "http://127.0.0.1:" + up.port();
            String failingUrl = "http://127.0.0.1:" + failing.port();
            RoutingTable first = publish(config(backend("web", check, null, upUrl, failingUrl)), null);
            BackendHealth h1 = first.backends().get("web").balancing().health();
            Poll.until(() -> !h1.inRotation(1), Duration.ofSeconds(10), "the failing server out of rotation");

            // a reload that changes something else: same servers, same state, no probe needed first
            RoutingTable second = publish(config(backend("web", check, null, upUrl, failingUrl),
                    backend("other", null, null, upUrl)), first);
            CompiledBackend web = second.backends().get("web");
            assertNotSame(first.backends().get("web"), web);
            assertFalse(web.balancing().health().inRotation(1), "still out after the reload");
            assertTrue(web.balancing().health().inRotation(0));
            assertSame(h1.server(1), web.balancing().health().server(1));
            assertEquals(2, checker.probed());

            publish(config(backend("other", null, null, upUrl)), second);
            assertEquals(0, checker.probed(), "the removed backend's servers are no longer probed");
        }
    }

    @Test
    void stickyValuesAndMaxConnCountsCarryOverAReload() throws Exception {
        MaxConn limit = new MaxConn(5, "client.ip");
        RoutingTable first = publish(config(backend("web", null, limit, "http://127.0.0.1:1", "http://127.0.0.1:2")),
                null);
        RoutingTable second = publish(config(backend("web", null, limit, "http://127.0.0.1:1", "http://127.0.0.1:2",
                "http://127.0.0.1:3")), first);
        BackendBalancing a = first.backends().get("web").balancing();
        BackendBalancing b = second.backends().get("web").balancing();
        assertEquals(a.sticky().setCookie(first.backends().get("web").upstreams().get(0)),
                b.sticky().setCookie(second.backends().get("web").upstreams().get(0)),
                "a client pinned to a server stays pinned across the reload");
        assertSame(a.limiter(), b.limiter(), "unchanged maxConn keeps its counts");
        assertEquals(3, b.attempts(), "[retry] without attempts: the backend's number of servers");
        RoutingTable third = publish(config(backend("web", null, new MaxConn(6, "client.ip"), "http://127.0.0.1:1")),
                second);
        assertNotSame(b.limiter(), third.backends().get("web").balancing().limiter());
        assertNull(third.backends().get("web").balancing().health());
    }

    @Test
    void unknownExtractorIsAConfigurationErrorNamingBackendAndKey() {
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> compiler.compile(config(backend("web", null, new MaxConn(1, "client.port"),
                        "http://127.0.0.1:1")), null));
        ConfigProblem p = e.problems().get(0);
        assertEquals("backends.web.maxConn.extractorFunc", p.key());
        assertTrue(p.message().contains("backend 'web'") && p.message().contains("client.port"), p.message());
    }

    @Test
    void checkCommandCompilesWithoutHealthState() throws Exception {
        RoutingCompiler plain = new RoutingCompiler(host.registry(), RoutingSettings.defaults());
        HealthCheck check = new HealthCheck("/health", null, null, 0, null, null, Map.of(), 1, 1);
        RoutingTable t = plain.compile(config(backend("web", check, null, "http://127.0.0.1:1")), null).table();
        assertNull(t.backends().get("web").balancing().health());
        assertEquals(1, t.backends().get("web").balancing().attempts(), "no [retry]: one try");
    }
}
