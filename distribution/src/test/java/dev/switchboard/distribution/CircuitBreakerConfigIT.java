package dev.switchboard.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Breaker configurations through the real launcher: {@code check} refuses an invalid or hostile expression naming
 * file, line and key (Traefik v1 logged it and silently dropped the frontend); a hot reload carrying one is rejected
 * while the last good configuration keeps serving; a reload that keeps the backend keeps its open breaker (Traefik v1
 * closed every breaker on every reload).
 */
@Timeout(180)
class CircuitBreakerConfigIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration RELOAD_TIMEOUT = Duration.ofSeconds(30);
    private static final String HOST = "breaker.test";

    /** An expression that, were it ever run as code, would create {@code marker}. */
    private static String hostile(Path marker) {
        return "NetworkErrorRatio() > 0.5 || Runtime.getRuntime().exec(\"touch " + marker + "\") == null";
    }

    private static String config(int port, String serverUrl, String breakerKeys) {
        return CircuitBreakerIT.config(port, serverUrl, breakerKeys);
    }

    @Test
    void checkRefusesAHostileExpressionAnUnknownLanguageAndABadOptionNamingFileLineAndKey() throws IOException {
        Path marker = Files.createTempDirectory(Distribution.IT_DIR, "marker-").resolve("pwned");
        Path file = ConfigFile.write("hostile.toml", """
                [entryPoints]
                  [entryPoints.http]
                  address = "127.0.0.1:1"
                [file]
                [frontends]
                  [frontends.site]
                  backend = "site"
                    [frontends.site.routes.r]
                    rule = "Host:a"
                  [frontends.other]
                  backend = "other"
                    [frontends.other.routes.r]
                    rule = "Host:b"
                [backends]
                  [backends.site.servers.one]
                  url = "http://127.0.0.1:1"
                  [backends.site.circuitBreaker]
                  expression = '%s'
                  [backends.other.servers.one]
                  url = "http://127.0.0.1:2"
                  [backends.other.circuitBreaker]
                  expression = "NetworkErrorRatio() > 0.5"
                  language = "cel"
                  fallbackDuration = "soon"
                """.formatted(hostile(marker)));
        SwitchboardProcess.Result result = SwitchboardProcess.of(Distribution.shared())
                .run(TIMEOUT, "check", "-c", file.toString());
        String out = result.output();
        assertNotEquals(0, result.exitCode(), out);
        int site = ConfigFile.lineOf(file, "[backends.site.circuitBreaker]");
        int other = ConfigFile.lineOf(file, "[backends.other.circuitBreaker]");
        String name = file.getFileName().toString();
        assertTrue(out.contains(name + ":" + site + ": backends.site.circuitBreaker.expression: backend 'site': "
                + "invalid expression: 'Runtime' is not allowed"), out);
        assertTrue(out.contains("at position 29"), "the offending token's position: " + out);
        assertTrue(out.contains(name + ":" + other + ": backends.other.circuitBreaker.language: backend 'other': "
                + "no expression compiler for language 'cel'; available: [mvel]"), out);
        assertTrue(out.contains(name + ":" + other + ": backends.other.circuitBreaker.fallbackDuration: "), out);
        assertFalse(Files.exists(marker), "the hostile expression must never run");
    }

    @Test
    void checkAcceptsTraefikExpressionsAndListsEachBackendsBreaker() {
        Path file = ConfigFile.write("valid.toml", """
                [entryPoints]
                  [entryPoints.http]
                  address = "127.0.0.1:1"
                [file]
                [backends]
                  [backends.a.servers.one]
                  url = "http://127.0.0.1:1"
                  [backends.a.circuitBreaker]
                  expression = "NetworkErrorRatio() > 0.5"
                  [backends.b.servers.one]
                  url = "http://127.0.0.1:2"
                  [backends.b.circuitBreaker]
                  expression = "(NetworkErrorRatio() > 0.1) && (ResponseCodeRatio(500, 600, 0, 600) > 0.3)"
                  [backends.c.servers.one]
                  url = "http://127.0.0.1:3"
                  [backends.c.circuitBreaker]
                  expression = "LatencyAtQuantileMS(50.0) > 50"
                  language = "MVEL"
                  fallbackRedirect = "https://status.example.com/"
                """);
        SwitchboardProcess.Result result = SwitchboardProcess.of(Distribution.shared())
                .run(TIMEOUT, "check", "-c", file.toString());
        assertEquals(0, result.exitCode(), result.output());
        assertFalse(result.output().contains("not built yet"), result.output());
        assertTrue(result.output().contains("circuit breaker (mvel): NetworkErrorRatio() > 0.5"), result.output());
        assertTrue(result.output().contains("circuit breaker (MVEL): LatencyAtQuantileMS(50.0) > 50"),
                result.output());
    }

    @Test
    void hotReloadWithAHostileExpressionIsRejectedAndTheLastGoodConfigurationKeepsServing() throws IOException {
        Path marker = Files.createTempDirectory(Distribution.IT_DIR, "marker-").resolve("pwned");
        try (TestBackend backend = TestBackend.start("good")) {
            int port = TestBackend.freePort();
            Path file = ConfigFile.write("hot.toml", config(port, backend.url(), """
                    expression = "NetworkErrorRatio() > 0.5"
                    """));
            try (SwitchboardProcess proxy = SwitchboardProcess.of(Distribution.shared())
                    .start("-c", file.toString())) {
                proxy.awaitResponse(port, HOST, "/", 200, TIMEOUT);

                replace(file, config(port, backend.url(), "expression = '" + hostile(marker) + "'\n"));
                String location = file.getFileName() + ":" + ConfigFile.lineOf(file, "[backends.site.circuitBreaker]")
                        + ": backends.site.circuitBreaker.expression: backend 'site': invalid expression: 'Runtime' "
                        + "is not allowed";
                Poll.untilTrue(RELOAD_TIMEOUT, "the hostile reload to be rejected at " + location, proxy,
                        () -> proxy.output().contains(location));
                assertTrue(proxy.output().contains("rejected"), proxy.describeOutput());
                HttpConnection.Response still = HttpConnection.get(port, HOST, "/");
                assertEquals(200, still.status(), "the last good configuration keeps serving: " + still);
                assertEquals("good", still.firstLine());
                assertFalse(Files.exists(marker), "the hostile expression must never run");
                proxy.terminate();
            }
        }
    }

    @Test
    void openBreakerStaysOpenAcrossAReloadThatKeepsItsBackendAndANewServerGetsAFreshOne() throws IOException {
        try (TestBackend failing = TestBackend.start("failing").answerWith(500);
             TestBackend other = TestBackend.start("other")) {
            int port = TestBackend.freePort();
            Path file = ConfigFile.write("carry.toml", config(port, failing.url(), """
                    expression = "ResponseCodeRatio(500, 600, 0, 600) > 0.5"
                    fallbackDuration = "60s"
                    checkPeriod = "20ms"
                    """));
            try (SwitchboardProcess proxy = SwitchboardProcess.of(Distribution.shared())
                    .start("-c", file.toString())) {
                proxy.awaitResponse(port, HOST, "/", 500, TIMEOUT);
                HttpConnection.Response tripped = proxy.awaitResponse(port, HOST, "/", 503, RELOAD_TIMEOUT);
                assertEquals("Service Unavailable", tripped.text());
                int seen = failing.requests();

                // Same backend, another fallback body: Traefik v1 would close the breaker here.
                replace(file, config(port, failing.url(), """
                        expression = "ResponseCodeRatio(500, 600, 0, 600) > 0.5"
                        fallbackDuration = "60s"
                        checkPeriod = "20ms"
                        fallbackBody = "still open after the reload"
                        """));
                Poll.until(RELOAD_TIMEOUT, "the reloaded fallback body", proxy, () -> {
                    HttpConnection.Response r = HttpConnection.get(port, HOST, "/");
                    assertEquals(503, r.status(), "the breaker must stay open across the reload: " + r);
                    return r.text().equals("still open after the reload") ? r : null;
                });
                assertEquals(seen, failing.requests(), "the open breaker let nothing through across the reload");

                // Another server: what the window measured no longer applies; a fresh breaker in Standby.
                replace(file, config(port, other.url(), """
                        expression = "ResponseCodeRatio(500, 600, 0, 600) > 0.5"
                        fallbackDuration = "60s"
                        """));
                HttpConnection.Response fresh = proxy.awaitResponse(port, HOST, "/", 200, RELOAD_TIMEOUT);
                assertEquals("other", fresh.firstLine());
                proxy.terminate();
            }
        }
    }

    /** Replaces the file as editors do: write a sibling, then rename over it. */
    private static void replace(Path file, String text) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
