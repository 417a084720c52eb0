package dev.switchboard.kernel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.config.ConfigProblem;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class StaticConfigLoaderTest {

    private static StaticConfig parse(String toml) throws ConfigException {
        return StaticConfigLoader.parse(toml, null, "traefik.toml");
    }

    private static List<String> errors(String toml) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(toml));
        return e.problems().stream().map(ConfigProblem::toString).collect(Collectors.toList());
    }

    @Test
    void emptyFileGivesTraefikDefaults() throws Exception {
        StaticConfig c = parse("");
        assertEquals(List.of("http"), c.defaultEntryPoints());
        assertEquals(80, c.entryPoints().get("http").address().getPort());
        assertTrue(c.entryPoints().get("http").address().getAddress().isAnyLocalAddress());
        assertEquals(LogLevel.ERROR, c.logLevel());
        assertEquals(Duration.ofSeconds(2), c.providersThrottle());
        assertEquals(Duration.ofSeconds(10), c.graceTimeout());
        assertEquals(Duration.ofSeconds(180), c.idleTimeout());
        assertEquals(Duration.ofSeconds(30), c.dialTimeout());
        assertEquals(Duration.ZERO, c.readTimeout());
        assertFalse(c.keepTrailingSlash());
        assertTrue(c.warnings().isEmpty());
    }

    @Test
    void fullFileIsReadWithEveryBuiltKey() throws Exception {
        StaticConfig c = parse("""
                defaultEntryPoints = ["http", "admin"]
                logLevel = "info"
                keepTrailingSlash = true
                AllowMinWeightZero = true
                providersThrottleDuration = "500ms"
                eventLoops = 3
                [lifeCycle]
                  graceTimeOut = "1m30s"
                [respondingTimeouts]
                  readTimeout = 5
                  writeTimeout = "7s"
                  idleTimeout = "2m"
                [forwardingTimeouts]
                  dialTimeout = "3s"
                  responseHeaderTimeout = "1.5s"
                [entryPoints]
                  [entryPoints.http]
                  address = ":8081"
                  [entryPoints.admin]
                  address = "127.0.0.1:0"
                    [entryPoints.admin.forwardedHeaders]
                    trustedIPs = ["10.0.0.0/8", "192.168.1.7"]
                  [entryPoints.v6]
                  address = "[::1]:9090"
                [file]
                  watch = true
                """);
        assertEquals(List.of("http", "admin"), c.defaultEntryPoints());
        assertEquals(LogLevel.INFO, c.logLevel());
        assertTrue(c.keepTrailingSlash());
        assertTrue(c.allowMinWeightZero());
        assertEquals(Duration.ofMillis(500), c.providersThrottle());
        assertEquals(3, c.eventLoops());
        assertEquals(Duration.ofSeconds(90), c.graceTimeout());
        assertEquals(Duration.ofSeconds(5), c.readTimeout());
        assertEquals(Duration.ofSeconds(7), c.writeTimeout());
        assertEquals(Duration.ofMinutes(2), c.idleTimeout());
        assertEquals(Duration.ofSeconds(3), c.dialTimeout());
        assertEquals(Duration.ofMillis(1500), c.responseHeaderTimeout());
        assertEquals(8081, c.entryPoints().get("http").address().getPort());
        assertEquals(InetAddress.getByName("127.0.0.1"), c.entryPoints().get("admin").address().getAddress());
        assertEquals(List.of("10.0.0.0/8", "192.168.1.7"), c.entryPoints().get("admin").trustedProxies());
        assertEquals(InetAddress.getByName("::1"), c.entryPoints().get("v6").address().getAddress());
        assertTrue(c.entryPoints().get("http").trustedProxies().isEmpty(), "no forwardedHeaders: trust nobody");
        assertNotNull(c.section("file"));
        assertEquals(true, c.section("file").values().get("watch"));
        assertEquals(3, c.toProxySettings().listeners().size());
    }

    @Test
    void emptyEntryPointsTableAlsoGivesHttpOnPort80() throws Exception {
        StaticConfig c = parse("[entryPoints]\n");
        assertEquals(java.util.Set.of("http"), c.entryPoints().keySet());
        assertEquals(List.of("http"), c.defaultEntryPoints());
    }

    @Test
    void insecureForwardedHeadersTrustsEveryone() throws Exception {
        StaticConfig c = parse("""
                [entryPoints.http]
                address = ":80"
                [entryPoints.http.forwardedHeaders]
                insecure = true
                """);
        assertEquals(List.of("0.0.0.0/0", "::/0"), c.entryPoints().get("http").trustedProxies());
    }

    @Test
    void deprecatedGraceTimeOutOverridesLifeCycleWhenPositive() throws Exception {
        assertEquals(Duration.ofSeconds(3), parse("graceTimeOut = 3\n[lifeCycle]\ngraceTimeOut = \"20s\"\n")
                .graceTimeout());
    }

    @Test
    void badValuesAreAllReportedAtOnceWithFileLineKeyAndExpectation() {
        List<String> errors = errors("""
                logLevel = "LOUD"
                [entryPoints]
                  [entryPoints.http]
                  address = "nowhere"
                  [entryPoints.https]
                  address = ":99999"
                [respondingTimeouts]
                  idleTimeout = "3 fortnights"
                [forwardingTimeouts]
                  dialTimeout = "10x"
                """);
        assertEquals(5, errors.size(), errors.toString());
        assertTrue(errors.contains("traefik.toml:1: logLevel: unknown log level \"LOUD\"; expected one of DEBUG, "
                + "INFO, WARN, ERROR, FATAL, PANIC"), errors.toString());
        assertTrue(errors.get(1).startsWith("traefik.toml:4: entryPoints.http.address: invalid address \"nowhere\"; "
                + "expected [host]:port"), errors.toString());
        assertTrue(errors.get(2).startsWith("traefik.toml:6: entryPoints.https.address: port 99999 out of range"),
                errors.toString());
        assertTrue(errors.get(3).startsWith("traefik.toml:8: respondingTimeouts.idleTimeout: ")
                && errors.get(3).contains("expected a duration"), errors.toString());
        assertTrue(errors.get(4).startsWith("traefik.toml:10: forwardingTimeouts.dialTimeout: unknown unit \"x\""),
                errors.toString());
    }

    @Test
    void wrongTypesNameWhatWasExpected() {
        List<String> errors = errors("""
                keepTrailingSlash = "yes"
                eventLoops = 0
                defaultEntryPoints = 5
                """);
        assertEquals(List.of(
                "traefik.toml:1: keepTrailingSlash: expected true or false, got the string \"yes\"",
                "traefik.toml:2: eventLoops: expected a whole number of event loops from 1 to 1024, got 0",
                "traefik.toml:3: defaultEntryPoints: expected a list of strings such as [\"http\", \"https\"], got "
                        + "the number 5"), errors);
    }

    @Test
    void syntaxErrorNamesFileAndLine() {
        List<String> errors = errors("logLevel = \"INFO\"\n\n[entryPoints\naddress = 1\n");
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).startsWith("traefik.toml:3: : invalid TOML"), errors.toString());
    }

    @Test
    void unbuiltTraefikSectionsAreAcceptedWithOneWarningEachNamingFileLineAndSection() throws Exception {
        StaticConfig c = parse("""
                checkNewVersion = true
                [entryPoints]
                  [entryPoints.https]
                  address = ":443"
                    [entryPoints.https.tls]
                      [[entryPoints.https.tls.certificates]]
                      certFile = "a.crt"
                      keyFile = "a.key"
                    [entryPoints.https.redirect]
                    entryPoint = "http"
                [acme]
                email = "a@b.c"
                [traefikLog]
                filePath = "x.log"
                [metrics]
                  [metrics.prometheus]
                  buckets = [0.1, 0.3]
                [retry]
                [docker]
                endpoint = "unix:///var/run/docker.sock"
                """);
        List<String> warnings = c.warnings().stream().map(ConfigProblem::toString).collect(Collectors.toList());
        assertTrue(warnings.contains("traefik.toml:5: entryPoints.https.tls: accepted, not built yet"), warnings.toString());
        assertTrue(warnings.contains("traefik.toml:9: entryPoints.https.redirect: accepted, not built yet"));
        assertTrue(warnings.contains("traefik.toml:11: acme: accepted, not built yet"));
        assertTrue(warnings.contains("traefik.toml:13: traefikLog: accepted, not built yet"));
        assertTrue(warnings.contains("traefik.toml:15: metrics: accepted, not built yet"));
        assertTrue(warnings.stream().noneMatch(w -> w.contains("retry")), "[retry] is built: " + warnings);
        assertEquals(0, c.retryAttempts(), "[retry] without attempts: the backend's number of servers");
        assertTrue(warnings.get(0).startsWith("traefik.toml:1: checkNewVersion: accepted, has no effect"));
        assertTrue(warnings.get(6).startsWith("traefik.toml: defaultEntryPoints: entry point \"http\" is not defined"),
                warnings.toString());
        assertEquals(7, warnings.size(), warnings.toString());
        // [docker] is a provider section: kept for the provider host, which warns if no plugin provides it.
        assertNotNull(c.section("docker"));
        assertTrue(c.defaultEntryPoints().isEmpty(), "default http is not defined here");
    }

    @Test
    void retryAndHealthcheckSectionsAreReadWithTraefikDefaults() throws Exception {
        StaticConfig none = parse("");
        assertEquals(-1, none.retryAttempts(), "no [retry]: no retries");
        assertEquals(java.time.Duration.ofSeconds(30), none.healthCheckInterval());
        StaticConfig set = parse("""
                [retry]
                attempts = 3
                [healthcheck]
                interval = "250ms"
                """);
        assertEquals(3, set.retryAttempts());
        assertEquals(java.time.Duration.ofMillis(250), set.healthCheckInterval());
        assertTrue(set.warnings().isEmpty() || set.warnings().stream().noneMatch(w -> w.toString()
                .contains("not built")), set.warnings().toString());
    }

    @Test
    void negativeRetryAttemptsAndZeroHealthcheckIntervalAreErrorsNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("""
                [retry]
                attempts = -1
                [healthcheck]
                interval = "0s"
                """));
        String all = e.problems().toString();
        assertTrue(all.contains("retry.attempts") && all.contains("healthcheck.interval"), all);
    }

    @Test
    void unknownKeyIsWarnedWithSuggestion() throws Exception {
        StaticConfig c = parse("keepTrailingSlah = true\n");
        assertEquals("traefik.toml:1: keepTrailingSlah: unknown key, ignored; did you mean \"keepTrailingSlash\"?",
                c.warnings().get(0).toString());
    }

    @Test
    void frontendsAndBackendsOfTheMainFileAreLeftToTheFileProvider() throws Exception {
        StaticConfig c = parse("""
                [file]
                [frontends.f1]
                backend = "b1"
                  [frontends.f1.routes.r]
                  rule = "Host: a"
                [backends.b1.servers.s1]
                url = "http://127.0.0.1:1"
                """);
        assertTrue(c.hasDynamicSections());
        assertTrue(c.warnings().isEmpty(), c.warnings().toString());
    }

    @Test
    void logLevelCanBePeekedBeforeLoggingStarts(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path f = dir.resolve("s.toml");
        java.nio.file.Files.writeString(f, "logLevel = \"fatal\"\n[entryPoints.http]\naddress = \":1\"\n");
        assertEquals(LogLevel.FATAL, StaticConfigLoader.peekLogLevel(f));
        assertEquals("error", LogLevel.FATAL.simpleLoggerLevel());
    }
}
