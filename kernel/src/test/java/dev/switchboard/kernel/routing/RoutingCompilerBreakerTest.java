package dev.switchboard.kernel.routing;

import static dev.switchboard.kernel.testing.Configs.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.kernel.breaker.CircuitBreaker;
import dev.switchboard.kernel.breaker.CircuitBreaker.Decision;
import dev.switchboard.kernel.breaker.CircuitBreaker.State;
import dev.switchboard.kernel.plugin.ExtensionRegistry;
import dev.switchboard.kernel.plugin.PluginHost;
import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.config.ConfigProblem;
import dev.switchboard.spi.model.Configuration;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The routing compiler builds each backend's circuit breaker (the kernel test language {@code test} stands in for
 * the MVEL plugin): one stripe per event loop, problems reported with file, line and key, state carried over a reload
 * that keeps the backend's servers.
 */
class RoutingCompilerBreakerTest {
    static PluginHost host;
    static ExtensionRegistry registry;
    static final RoutingSettings THREE_LOOPS = new RoutingSettings(Set.of("http"), List.of("http"), false, false, 3);

    @BeforeAll
    static void start() throws Exception {
        host = PluginHost.start(null, true);
        registry = host.registry();
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    static RoutingTable compile(Configuration c, RoutingTable previous) throws ConfigException {
        return new RoutingCompiler(registry, THREE_LOOPS).compile(c, previous).table();
    }

    static Configuration withBreaker(String expression, String language, Map<String, Object> options,
                                     String... urls) {
        return config().frontend("f", "b", "PathPrefix:/").backend("b", urls).backend("plain", "http://127.0.0.1:2")
                .circuitBreaker("b", expression, language, options).build();
    }

    static List<String> errors(Configuration c) {
        ConfigException e = assertThrows(ConfigException.class, () -> compile(c, null));
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void backendWithACircuitBreakerSectionGetsABreakerWithOneStripePerEventLoopAndItsOptions() throws Exception {
        RoutingTable t = compile(withBreaker("never", "test", Map.of("fallbackDuration", "2s"),
                "http://127.0.0.1:1"), null);
        CircuitBreaker b = t.backends().get("b").breaker();
        assertNotNull(b);
        assertEquals(3, b.metrics().stripes());
        assertEquals(Duration.ofSeconds(2), b.settings().fallbackDuration());
        assertEquals(State.STANDBY, b.state());
        assertNull(t.backends().get("plain").breaker(), "no section, no breaker");
    }

    @Test
    void languageIsMatchedIgnoringCase() throws Exception {
        RoutingTable t = compile(withBreaker("never", "TEST", Map.of(), "http://127.0.0.1:1"), null);
        assertNotNull(t.backends().get("b").breaker());
    }

    @Test
    void unknownLanguageRejectsTheSnapshotNamingFileLineKeyAndTheInstalledLanguages() {
        List<String> e = errors(withBreaker("never", "cel", Map.of(), "http://127.0.0.1:1"));
        assertEquals(1, e.size(), e.toString());
        assertTrue(e.get(0).startsWith("dyn.toml:7: backends.b.circuitBreaker.language: backend 'b': no expression "
                + "compiler for language 'cel'"), e.get(0));
        assertTrue(e.get(0).contains("test"), e.get(0));
    }

    @Test
    void invalidExpressionRejectsTheSnapshotWithTheOffendingPosition() {
        List<String> e = errors(withBreaker("never.getClass()", "test", Map.of(), "http://127.0.0.1:1"));
        assertEquals(1, e.size(), e.toString());
        assertTrue(e.get(0).startsWith("dyn.toml:7: backends.b.circuitBreaker.expression: backend 'b': invalid "
                + "expression: '.' is not allowed at position 5"), e.get(0));
        assertTrue(e.get(0).endsWith("never.getClass()\n         ^"), e.get(0));
    }

    @Test
    void invalidOptionAndMissingExpressionAreReportedTogether() {
        List<String> e = errors(withBreaker(null, "test", Map.of("fallbackDuration", "soon"), "http://127.0.0.1:1"));
        assertEquals(2, e.size(), e.toString());
        assertTrue(e.stream().anyMatch(p -> p.startsWith("dyn.toml:7: backends.b.circuitBreaker.fallbackDuration:")),
                e.toString());
        assertTrue(e.stream().anyMatch(p -> p.startsWith("dyn.toml:7: backends.b.circuitBreaker.expression:")),
                e.toString());
    }

    @Test
    void trippedBreakerStaysTrippedAcrossAReloadThatKeepsTheServersAndResetsWhenTheyChange() throws Exception {
        RoutingTable first = compile(withBreaker("always", "test", Map.of(), "http://127.0.0.1:1"), null);
        CircuitBreaker b1 = first.backends().get("b").breaker();
        long now = System.nanoTime();
        assertEquals(Decision.ADMIT, b1.admit(now));
        b1.onOutcome(0, 502, 1_000_000, now); // no executor given: the check runs inline and trips
        assertEquals(State.TRIPPED, b1.state());

        // Same servers, another option: Traefik v1 rebuilt the breaker here (reference §6); ours stays open.
        RoutingTable second = compile(withBreaker("always", "test", Map.of("fallbackBody", "later"),
                "http://127.0.0.1:1"), first);
        CircuitBreaker b2 = second.backends().get("b").breaker();
        assertEquals(State.TRIPPED, b2.state());
        assertEquals(Decision.FALLBACK, b2.admit(now + 1));
        assertEquals("later", b2.fallback().body(), "the new options apply at once");
        assertEquals(1, b2.transitionsInto(State.TRIPPED));

        RoutingTable third = compile(withBreaker("always", "test", Map.of(), "http://127.0.0.1:9"), second);
        CircuitBreaker b3 = third.backends().get("b").breaker();
        assertEquals(State.STANDBY, b3.state(), "other servers: a fresh breaker");
        assertEquals(0, b3.transitionsInto(State.TRIPPED));
    }
}
