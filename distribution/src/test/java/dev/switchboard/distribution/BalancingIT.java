package dev.switchboard.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The kernel's balancing features end to end, through the unpacked distribution and real backends: sticky sessions,
 * active health checks (with a short interval), all servers down, {@code maxConn}, retries of requests that never
 * reached a server, and exact wrr ratios. One proxy process for the class; each test uses its own backends.
 */
@Timeout(120)
class BalancingIT {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CHANGE_TIMEOUT = Duration.ofSeconds(15);
    /** How long a request to the slow server of the maxConn backend takes. */
    private static final long SLOW_MILLIS = 1_500;

    private static final Map<String, TestBackend> BACKENDS = new HashMap<>();
    private static SwitchboardProcess proxy;
    private static int port;
    private static int refusingPort;
    private static Path config;

    @BeforeAll
    static void startProxyAndBackends() throws IOException {
        for (String name : new String[] {"stickyA", "stickyB", "healthA", "healthB", "downA", "downB", "retryLive",
                "tenA", "tenB", "oneA", "twoB", "keptA", "keptB"}) {
            BACKENDS.put(name, TestBackend.start(name));
        }
        BACKENDS.get("keptA").health(500); // failing from the start: its first probe takes it out
        BACKENDS.put("slow", TestBackend.slow("slow", SLOW_MILLIS));
        port = TestBackend.freePort();
        refusingPort = TestBackend.freePort();
        config = ConfigFile.write("balancing.toml", """
                logLevel = "INFO"
                defaultEntryPoints = ["http"]
                eventLoops = 2

                [entryPoints]
                  [entryPoints.http]
                  address = "127.0.0.1:%d"

                [retry]

                [healthcheck]
                interval = "100ms"

                [file]

                [frontends]
                  [frontends.sticky]
                  backend = "sticky"
                    [frontends.sticky.routes.host]
                    rule = "Host:sticky.test"
                  [frontends.health]
                  backend = "health"
                    [frontends.health.routes.host]
                    rule = "Host:health.test"
                  [frontends.down]
                  backend = "down"
                    [frontends.down.routes.host]
                    rule = "Host:down.test"
                  [frontends.limited]
                  backend = "limited"
                    [frontends.limited.routes.host]
                    rule = "Host:limited.test"
                  [frontends.retry]
                  backend = "retry"
                    [frontends.retry.routes.host]
                    rule = "Host:retry.test"
                  [frontends.ten]
                  backend = "ten"
                    [frontends.ten.routes.host]
                    rule = "Host:ten.test"
                  [frontends.onetwo]
                  backend = "onetwo"
                    [frontends.onetwo.routes.host]
                    rule = "Host:onetwo.test"
                  [frontends.kept]
                  backend = "kept"
                    [frontends.kept.routes.host]
                    rule = "Host:kept.test"

                [backends]
                  [backends.sticky]
                    [backends.sticky.loadBalancer.stickiness]
                    cookieName = "pin"
                    httpOnly = true
                    [backends.sticky.healthCheck]
                    path = "/health"
                    [backends.sticky.servers.a]
                    url = "%s"
                    [backends.sticky.servers.b]
                    url = "%s"
                  [backends.health]
                    [backends.health.healthCheck]
                    path = "/health"
                    [backends.health.servers.a]
                    url = "%s"
                    weight = 2
                    [backends.health.servers.b]
                    url = "%s"
                  [backends.down]
                    [backends.down.healthCheck]
                    path = "/health"
                    interval = "50ms"
                    [backends.down.servers.a]
                    url = "%s"
                    [backends.down.servers.b]
                    url = "%s"
                  [backends.limited]
                    [backends.limited.maxConn]
                    amount = 2
                    extractorFunc = "request.host"
                    [backends.limited.servers.slow]
                    url = "%s"
                  [backends.retry]
                    [backends.retry.servers.live]
                    url = "%s"
                    [backends.retry.servers.refusing]
                    url = "http://127.0.0.1:%d"
                  [backends.ten]
                    [backends.ten.servers.a]
                    url = "%s"
                    weight = 10
                    [backends.ten.servers.b]
                    url = "%s"
                    weight = 1
                  [backends.onetwo]
                    [backends.onetwo.servers.a]
                    url = "%s"
                    weight = 1
                    [backends.onetwo.servers.b]
                    url = "%s"
                    weight = 2
                  [backends.kept]
                    [backends.kept.healthCheck]
                    path = "/health"
                    interval = "1h"
                    [backends.kept.servers.a]
                    url = "%s"
                    [backends.kept.servers.b]
                    url = "%s"
                """.formatted(port, url("stickyA"), url("stickyB"), url("healthA"), url("healthB"), url("downA"),
                url("downB"), url("slow"), url("retryLive"), refusingPort, url("tenA"), url("tenB"), url("oneA"),
                url("twoB"), url("keptA"), url("keptB")));

        proxy = SwitchboardProcess.of(Distribution.shared()).start("-c", config.toString());
        proxy.awaitResponse(port, "ten.test", "/", 200, START_TIMEOUT);
    }

    private static String url(String name) {
        return BACKENDS.get(name).url();
    }

    @AfterAll
    static void stopProxyGracefully() {
        try {
            if (proxy != null) {
                proxy.terminate();
            }
        } finally {
            if (proxy != null) {
                proxy.close();
            }
            BACKENDS.values().forEach(TestBackend::close);
        }
    }

    private static HttpConnection.Response get(HttpConnection c, String host, String cookie) throws IOException {
        return c.send("GET", "/", cookie == null ? Map.of("Host", host) : Map.of("Host", host, "Cookie", cookie),
                null);
    }

    /** {@code pin=VALUE} out of a {@code Set-Cookie: pin=VALUE; Path=/; HttpOnly}. */
    private static String cookieOf(HttpConnection.Response r) {
        String set = r.header("set-cookie");
        assertNotNull(set, "expected a sticky cookie: " + r);
        assertTrue(set.matches("pin=[0-9a-f]{16}; Path=/; HttpOnly"), "cookie format (no server address): " + set);
        return set.substring(0, set.indexOf(';'));
    }

    @Test
    void stickyCookieKeepsAHundredRequestsOnOneServerThenMovesWhenThatServerLeaves() throws IOException {
        try (HttpConnection c = HttpConnection.open(port)) {
            HttpConnection.Response first = get(c, "sticky.test", null);
            assertEquals(200, first.status(), first.toString());
            String cookie = cookieOf(first);
            String pinned = first.firstLine();
            for (int i = 0; i < 100; i++) {
                HttpConnection.Response r = get(c, "sticky.test", cookie);
                assertEquals(pinned, r.firstLine(), "request " + i + " with the cookie: " + r);
                assertNull(r.header("set-cookie"), "a stuck request gets no new cookie: " + r);
            }

            TestBackend leaving = BACKENDS.get(pinned);
            leaving.health(503);
            try {
                String other = pinned.equals("stickyA") ? "stickyB" : "stickyA";
                HttpConnection.Response moved = Poll.until(CHANGE_TIMEOUT, "the pinned server to leave rotation",
                        proxy, () -> {
                            HttpConnection.Response r = get(c, "sticky.test", cookie);
                            return r.firstLine().equals(other) ? r : null;
                        });
                String replaced = cookieOf(moved);
                assertNotEquals(cookie, replaced, "the cookie is replaced when its server is out of rotation");
                for (int i = 0; i < 20; i++) {
                    assertEquals(other, get(c, "sticky.test", replaced).firstLine(), "new cookie, request " + i);
                }
            } finally {
                leaving.health(200);
            }
            Poll.untilTrue(CHANGE_TIMEOUT, "the old pin to work again once its server is back", proxy,
                    () -> {
                        try {
                            return get(c, "sticky.test", cookie).firstLine().equals(pinned);
                        } catch (IOException e) {
                            return false;
                        }
                    });
        }
        assertTrue(proxy.output().contains("backend sticky: server"), "health changes are logged");
    }

    @Test
    void failingHealthCheckTakesServerOutOfRotationAndPassingOneBringsItBackWithItsWeight() throws IOException {
        TestBackend b = BACKENDS.get("healthB");
        try (HttpConnection c = HttpConnection.open(port)) {
            b.health(500);
            Poll.untilTrue(CHANGE_TIMEOUT, "healthB out of rotation", proxy, () -> proxy.output()
                    .contains("out of rotation") && proxy.output().contains("backend health: server b"));
            for (int i = 0; i < 30; i++) {
                assertEquals("healthA", get(c, "health.test", null).firstLine(), "request " + i);
            }
            b.health(200);
            Poll.untilTrue(CHANGE_TIMEOUT, "healthB back in rotation", proxy, () -> proxy.output()
                    .contains("backend health: server b (" + url("healthB") + ") is healthy again"));
            Map<String, Integer> counts = new HashMap<>();
            for (int i = 0; i < 300; i++) {
                counts.merge(get(c, "health.test", null).firstLine(), 1, Integer::sum);
            }
            Report.line("health: after healthB came back, 300 requests (weights 2:1): " + counts);
            assertEquals(200, counts.get("healthA"), "weights 2:1 kept after the flap: " + counts);
            assertEquals(100, counts.get("healthB"), "weights 2:1 kept after the flap: " + counts);
        } finally {
            b.health(200);
        }
        String log = proxy.output();
        String down = "backend health: server b (" + url("healthB") + ") failed its health check";
        assertTrue(log.contains(down) && log.contains("status 500"), "the change is logged with reason: " + log);
    }

    @Test
    void allServersFailingTheirChecksIsAnswered503AndRecoveryServesAgain() throws IOException {
        TestBackend a = BACKENDS.get("downA");
        TestBackend b = BACKENDS.get("downB");
        try {
            a.health(500);
            b.health(404);
            proxy.awaitResponse(port, "down.test", "/", 503, CHANGE_TIMEOUT);
        } finally {
            a.health(200);
            b.health(200);
        }
        proxy.awaitResponse(port, "down.test", "/", 200, CHANGE_TIMEOUT);
    }

    @Test
    void maxConnAnswers429PastTheLimitOfConcurrentRequestsAndReleasesWhenTheyEnd() throws Exception {
        int clients = 5;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpConnection.Response>> answers = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return HttpConnection.get(port, "limited.test", "/");
                }));
            }
            go.countDown();
            int ok = 0;
            int limited = 0;
            for (Future<HttpConnection.Response> f : answers) {
                HttpConnection.Response r = f.get(30, TimeUnit.SECONDS);
                if (r.status() == 200) {
                    ok++;
                } else {
                    assertEquals(429, r.status(), r.toString());
                    assertEquals("max connections reached: 2", r.text());
                    limited++;
                }
            }
            Report.line("maxConn 2: " + clients + " concurrent slow requests gave " + ok + " x 200, " + limited
                    + " x 429");
            assertEquals(2, ok, "two in flight at once are allowed");
            assertEquals(3, limited);
        } finally {
            pool.shutdownNow();
        }
        // Every permit was released when its exchange ended: two more fit at once again.
        assertEquals(200, HttpConnection.get(port, "limited.test", "/").status());
    }

    @Test
    void requestsToAServerRefusingConnectionsAreRetriedOnTheOtherServer() throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        try (HttpConnection c = HttpConnection.open(port)) {
            for (int i = 0; i < 40; i++) {
                HttpConnection.Response r = c.send("POST", "/r/" + i, Map.of("Host", "retry.test"),
                        ("body " + i).getBytes());
                assertEquals(200, r.status(), "request " + i + " (half of them first go to the refusing server): "
                        + r);
                assertTrue(r.text().contains("body: " + ("body " + i).length() + " bytes"), "body intact: " + r);
                counts.merge(r.firstLine(), 1, Integer::sum);
            }
        }
        assertEquals(Map.of("retryLive", 40), counts);
    }

    @Test
    void serverOutOfRotationStaysOutAcrossAReloadWithoutWaitingForAProbe() throws IOException {
        // kept.test's checks run once an hour: only the first probe, at load, can have taken keptA out
        Poll.untilTrue(CHANGE_TIMEOUT, "keptA out after its first probe", proxy,
                () -> proxy.output().contains("backend kept: server a (" + url("keptA") + ") failed"));
        try {
            Files.writeString(config, """

                    [frontends.extra]
                    backend = "kept"
                      [frontends.extra.routes.host]
                      rule = "Host:extra.test"
                    """, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        proxy.awaitResponse(port, "extra.test", "/", 200, CHANGE_TIMEOUT); // the reload is applied
        try (HttpConnection c = HttpConnection.open(port)) {
            for (int i = 0; i < 20; i++) {
                assertEquals("keptB", get(c, "kept.test", null).firstLine(), "request " + i + " after the reload");
                assertEquals("keptB", get(c, "extra.test", null).firstLine(), "request " + i + " after the reload");
            }
        }
        assertEquals(1, BACKENDS.get("keptA").healthProbes(), "no probe was needed to keep keptA out");
    }

    @Test
    void wrrWeightsTenToOneAndOneToTwoHoldExactlyOverWholeCycles() throws IOException {
        Map<String, Integer> ten = count("ten.test", 220);
        Map<String, Integer> oneTwo = count("onetwo.test", 300);
        Report.line("wrr 10:1 over 220 requests: " + ten + "; 1:2 over 300 requests: " + oneTwo);
        // 220 = 20 cycles of 11 and 300 = 100 cycles of 3, whatever the cursor's starting point
        assertEquals(Map.of("tenA", 200, "tenB", 20), ten);
        assertEquals(Map.of("oneA", 100, "twoB", 200), oneTwo);
    }

    private static Map<String, Integer> count(String host, int requests) throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        try (HttpConnection c = HttpConnection.open(port)) {
            for (int i = 0; i < requests; i++) {
                HttpConnection.Response r = get(c, host, null);
                assertEquals(200, r.status(), r.toString());
                counts.merge(r.firstLine(), 1, Integer::sum);
            }
        }
        return counts;
    }
}
