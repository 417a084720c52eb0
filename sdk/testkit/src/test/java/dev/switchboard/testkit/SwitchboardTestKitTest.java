package dev.switchboard.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The kit itself, with the built-in plugins only: what a plugin author relies on. */
@Timeout(60)
class SwitchboardTestKitTest {

    @Test
    void hostRuleRoutesToTheNamedEchoBackendWhichSeesMethodPathQueryAndHeaders() {
        try (SwitchboardTestKit kit = SwitchboardTestKit.builder()
                .route("Host: a.test", "a")
                .route("Host: b.test", "b")
                .start()) {
            TestResponse r = kit.send("POST", "/api/x?q=1&r=%20", Map.of("Host", "b.test", "X-Trace", "t-1"), "hi");
            assertEquals(200, r.status(), r::toString);
            assertEquals("b", r.backend());
            EchoedRequest seen = r.echoed();
            assertEquals("POST", seen.method());
            assertEquals("/api/x", seen.path());
            assertEquals("q=1&r=%20", seen.query());
            assertEquals("t-1", seen.header("x-trace"));
            assertEquals("hi", seen.body());
            assertEquals("127.0.0.1", seen.header("X-Forwarded-For"), "the proxy adds the client's address");
            assertEquals(1, kit.echo("b").requestCount());
            assertEquals(0, kit.echo("a").requestCount());
            assertEquals("a", kit.get("/", Map.of("Host", "a.test")).backend());
        }
    }

    @Test
    void unmatchedRequestIsAnswered404ByTheProxyItself() {
        try (SwitchboardTestKit kit = SwitchboardTestKit.start("Host: a.test", "a")) {
            TestResponse r = kit.get("/", Map.of("Host", "elsewhere.test"));
            assertEquals(404, r.status());
            assertNull(r.backend());
            assertNull(r.echoed());
        }
    }

    @Test
    void unknownRuleFunctionFailsStartWithTheProblemAndStopsTheEchoBackends() {
        KitStartException e = assertThrows(KitStartException.class,
                () -> SwitchboardTestKit.start("NoSuchFunction: x", "a"));
        assertTrue(e.getMessage().contains("NoSuchFunction"), e.getMessage());
        assertFalse(e.problems().isEmpty());
    }

    @Test
    void checkReportsAnUnknownRuleFunctionWithoutBindingOrStartingBackends() {
        CheckReport report = SwitchboardTestKit.builder().route("NoSuchFunction: x", "a").check();
        assertFalse(report.valid());
        assertTrue(report.hasErrorContaining("NoSuchFunction", "route1"), report::toString);
    }

    @Test
    void heldEchoBackendKeepsTheRequestInFlightUntilReleased() throws Exception {
        try (SwitchboardTestKit kit = SwitchboardTestKit.start("PathPrefix: /", "slow")) {
            kit.echo("slow").hold();
            CompletableFuture<TestResponse> pending = kit.getAsync("/held", Map.of());
            kit.echo("slow").awaitRequests(1, Duration.ofSeconds(10));
            assertEquals(1, kit.echo("slow").inFlight());
            assertFalse(pending.isDone(), "answered while held");
            kit.echo("slow").release();
            assertEquals("slow", pending.get(10, TimeUnit.SECONDS).backend());
        }
    }

    @Test
    void rawDynamicTomlWithPlaceholdersAndLoadBalancerMethodIsUsedAsWritten() {
        try (SwitchboardTestKit kit = SwitchboardTestKit.builder()
                .echo("one", "two")
                .dynamicToml("""
                        [frontends.all]
                        backend = "pair"
                          [frontends.all.routes.any]
                          rule = "PathPrefix: /"
                        [backends.pair.loadBalancer]
                        method = "wrr"
                        [backends.pair.servers.one]
                        url = "${echo.one}"
                        [backends.pair.servers.two]
                        url = "${echo.two}"
                        """)
                .start()) {
            for (int i = 0; i < 4; i++) {
                assertEquals(200, kit.get("/").status());
            }
            assertEquals(2, kit.echo("one").requestCount(), "wrr alternates between equal weights");
            assertEquals(2, kit.echo("two").requestCount());
        }
    }
}
