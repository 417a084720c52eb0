package dev.switchboard.kernel.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.switchboard.kernel.breaker.BreakerSettings;
import dev.switchboard.kernel.breaker.CircuitBreaker;
import dev.switchboard.kernel.breaker.CircuitBreaker.State;
import dev.switchboard.kernel.breaker.RollingMetrics;
import dev.switchboard.kernel.routing.Upstream;
import dev.switchboard.spi.breaker.TripCondition;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The exchange's breaker hooks on real sockets: {@code admit} before the balancer, the fallback answered without
 * touching a server (and framed right for HEAD), every admitted outcome recorded in the breaker's window from the
 * loop's own stripe. Checks run inline here (no check executor), so a trip is visible as soon as the response is.
 */
class ProxyBreakerTest {

    private static CircuitBreaker breaker(TripCondition condition, Map<String, Object> options) throws Exception {
        return CircuitBreaker.builder("b", condition).stripes(2)
                .settings(BreakerSettings.parse(options, "backends.b.circuitBreaker", null)).build();
    }

    private static Upstream dead() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        return new Upstream(null, new InetSocketAddress("127.0.0.1", port), "127.0.0.1:" + port,
                "http://127.0.0.1:" + port);
    }

    @Test
    void trippedBreakerAnswersTheFallbackWithoutAskingTheBalancerOrTouchingTheServer() throws Exception {
        try (TestBackend server = new TestBackend("s"); ProxyHarness p = new ProxyHarness();
             TestClient c = p.client()) {
            StubRouter.Backend b = new StubRouter.Backend("b", server.upstream());
            b.breaker = breaker(m -> m.requestCount() > 0, Map.of("fallbackDuration", "60s"));
            p.router.add(null, "/", StubRouter.frontend("f", b));

            assertEquals(200, c.get("/", "x").status(), "Standby: admitted");
            assertEquals(State.TRIPPED, b.breaker.state(), "the outcome made a check due, and it held");
            int picks = b.picks.get();
            int accepted = server.received.size();

            TestClient.Response r = c.get("/", "x");
            assertEquals(503, r.status());
            assertEquals("Service Unavailable", r.bodyText());
            assertEquals(picks, b.picks.get(), "the balancer is not asked");
            assertEquals(accepted, server.received.size(), "the server sees nothing");
            assertEquals(List.of(200), b.statuses(), "a fallback is not an outcome");
            assertEquals(0, b.breaker.metrics().snapshot(System.nanoTime()).requestCount(),
                    "the window was cleared on the trip and counts no fallback");
        }
    }

    @Test
    void fallbackToAHeadRequestHasNoBodySoTheNextResponseOnTheConnectionIsFramedRight() throws Exception {
        try (ProxyHarness p = new ProxyHarness(); TestClient c = p.client()) {
            StubRouter.Backend b = new StubRouter.Backend("b", dead());
            b.breaker = breaker(m -> true, Map.of("fallbackDuration", "60s", "fallbackBody", "désolé"));
            p.router.add(null, "/", StubRouter.frontend("f", b));
            assertEquals(502, c.get("/", "x").status());

            TestClient.Response head = c.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n").read("HEAD");
            assertEquals(503, head.status());
            assertEquals("8", head.header("Content-Length"), "the length a GET would get, in UTF-8 bytes");
            TestClient.Response get = c.get("/", "x");
            assertEquals(503, get.status());
            assertEquals("désolé", new String(get.body(), java.nio.charset.StandardCharsets.UTF_8));
            assertNull(get.header("Location"));
        }
    }

    @Test
    void redirectFallbackAnswers302WithTheLocation() throws Exception {
        try (ProxyHarness p = new ProxyHarness(); TestClient c = p.client()) {
            StubRouter.Backend b = new StubRouter.Backend("b", dead());
            b.breaker = breaker(m -> true, Map.of("fallbackRedirect", "https://status.example.com/down"));
            p.router.add(null, "/", StubRouter.frontend("f", b));
            assertEquals(502, c.get("/", "x").status());
            TestClient.Response r = c.get("/", "x");
            assertEquals(302, r.status());
            assertEquals("https://status.example.com/down", r.header("Location"));
            assertEquals("Found", r.bodyText());
        }
    }

    @Test
    void everyAdmittedOutcomeOnEitherLoopIsRecordedWithTheStatusTheClientGot() throws Exception {
        try (ProxyHarness p = new ProxyHarness()) {
            StubRouter.Backend refused = new StubRouter.Backend("refused", dead());
            refused.breaker = breaker(m -> false, Map.of());
            StubRouter.Backend empty = new StubRouter.Backend("empty");
            empty.breaker = breaker(m -> false, Map.of());
            p.router.add("refused", "/", StubRouter.frontend("f", refused));
            p.router.add("empty", "/", StubRouter.frontend("g", empty));
            // Connections go to the two loops in turn: both stripes get outcomes.
            for (int i = 0; i < 4; i++) {
                try (TestClient c = p.client()) {
                    assertEquals(502, c.get("/", "refused").status());
                    assertEquals(503, c.get("/", "empty").status());
                }
            }
            RollingMetrics.Snapshot r = refused.breaker.metrics().snapshot(System.nanoTime());
            assertEquals(4, r.requestCount());
            assertEquals(1.0, r.networkErrorRatio(), "a refused connection is a network error (502)");
            RollingMetrics.Snapshot e = empty.breaker.metrics().snapshot(System.nanoTime());
            assertEquals(4, e.requestCount());
            assertEquals(1.0, e.responseCodeRatio(503, 504, 0, 600), "no server to pick: 503, recorded");
            assertEquals(0.0, e.networkErrorRatio());
        }
    }
}
