package dev.switchboard.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The plugin host as a user meets it: jars dropped into the distribution's {@code plugins/} folder, each built here
 * at test time against {@code lib/}, exactly as a third party would build one.
 */
@Timeout(120)
class PluginHostIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** {@code TeamHeader: blue} matches requests whose {@code X-Team} field is {@code blue}. */
    private static PluginJar teamHeaderPlugin(String pluginId, String requires) {
        return PluginJar.matcher(pluginId, "test.team", "TeamHeader", """
                        if (clause.arguments().size() != 1) {
                            throw new RuleException("TeamHeader takes one team name, got " + clause.arguments());
                        }
                        String team = clause.arguments().get(0);
                        return request -> team.equals(request.header("X-Team"));
                """).requires(requires);
    }

    @Test
    void matcherFromAPluginDroppedIntoPluginsIsLoadedAndRoutesByItsRule() throws IOException {
        Distribution distribution = Distribution.fresh();
        teamHeaderPlugin("team-header", ">=1.0.0").writeTo(distribution, distribution.plugins(),
                "team-header-1.0.0.jar");
        try (TestBackend blue = TestBackend.start("blue"); TestBackend others = TestBackend.start("others")) {
            int port = TestBackend.freePort();
            Path config = ConfigFile.write("team.toml", """
                    logLevel = "INFO"
                    defaultEntryPoints = ["http"]
                    [entryPoints]
                      [entryPoints.http]
                      address = "127.0.0.1:%d"
                    [file]
                    [frontends]
                      [frontends.blue]
                      backend = "blue"
                      priority = 20
                        [frontends.blue.routes.team]
                        rule = "Host:team.test;TeamHeader:blue"
                      [frontends.others]
                      backend = "others"
                      priority = 10
                        [frontends.others.routes.host]
                        rule = "Host:team.test"
                    [backends]
                      [backends.blue.servers.one]
                      url = "%s"
                      [backends.others.servers.one]
                      url = "%s"
                    """.formatted(port, blue.url(), others.url()));
            try (SwitchboardProcess proxy = SwitchboardProcess.of(distribution).start("-c", config.toString())) {
                proxy.awaitResponse(port, "team.test", "/", 200, TIMEOUT);
                try (HttpConnection connection = HttpConnection.open(port)) {
                    HttpConnection.Response team = connection.send("GET", "/",
                            Map.of("Host", "team.test", "X-Team", "blue"), null);
                    assertEquals("blue", team.firstLine(), team.toString());
                    HttpConnection.Response other = connection.send("GET", "/",
                            Map.of("Host", "team.test", "X-Team", "red"), null);
                    assertEquals("others", other.firstLine(), other.toString());
                }
                String log = proxy.output();
                assertTrue(log.contains("team-header") && log.contains("TeamHeader"),
                        "start-up should log the plugin and the extension names it provides:\n" + log);
                proxy.terminate();
            }
        }
    }

    @Test
    void corruptPluginJarFailsStartupWithAMessageNamingTheJar() throws IOException {
        Distribution distribution = Distribution.fresh();
        byte[] garbage = new byte[4096];
        new Random(42).nextBytes(garbage);
        Files.write(distribution.plugins().resolve("corrupt-plugin.jar"), garbage);
        SwitchboardProcess.Result result = SwitchboardProcess.of(distribution)
                .run(TIMEOUT, "-c", minimalConfig().toString());
        assertNotEquals(0, result.exitCode(), "a jar that cannot load is a start-up error:\n" + result.output());
        assertTrue(result.output().contains("corrupt-plugin.jar"), "the error must name the jar:\n"
                + result.output());
    }

    @Test
    void secondHostMatcherFailsStartupNamingBothPlugins() throws IOException {
        Distribution distribution = Distribution.fresh();
        PluginJar.matcher("rogue-host", "test.rogue", "Host", "return request -> true;")
                .writeTo(distribution, distribution.plugins(), "rogue-host-1.0.0.jar");
        SwitchboardProcess.Result result = SwitchboardProcess.of(distribution)
                .run(TIMEOUT, "-c", minimalConfig().toString());
        assertNotEquals(0, result.exitCode(), "two Host matchers is a start-up error:\n" + result.output());
        String errorLines = result.output();
        assertTrue(errorLines.lines().anyMatch(line -> line.contains("Host") && line.contains("rogue-host")
                        && line.contains("core-matchers")),
                "one message should name the extension and both plugins (rogue-host, core-matchers):\n"
                        + result.output());
    }

    @Test
    void pluginRequiringAnotherSpiVersionIsRefusedNamingBothVersions() throws IOException {
        Distribution distribution = Distribution.fresh();
        teamHeaderPlugin("from-the-future", ">=2.0.0").writeTo(distribution, distribution.plugins(),
                "from-the-future-1.0.0.jar");
        Path config = ConfigFile.write("future.toml", """
                defaultEntryPoints = ["http"]
                [entryPoints]
                  [entryPoints.http]
                  address = "127.0.0.1:8080"
                [file]
                [frontends]
                  [frontends.team]
                  backend = "team"
                    [frontends.team.routes.team]
                    rule = "TeamHeader:blue"
                [backends]
                  [backends.team.servers.one]
                  url = "http://127.0.0.1:9"
                """);
        SwitchboardProcess.Result result = SwitchboardProcess.of(distribution)
                .run(TIMEOUT, "check", "-c", config.toString());
        assertNotEquals(0, result.exitCode(), "the rule's matcher comes from a refused plugin:\n" + result.output());
        assertTrue(result.output().lines().anyMatch(line -> line.contains("from-the-future")
                        && line.contains("2.0.0") && line.contains(Distribution.SPI_VERSION)),
                "one message should name the plugin, the range it requires and this SPI version:\n"
                        + result.output());
    }

    @Test
    void matcherThatThrowsDoesNotMatchAndTheProxyKeepsServing() throws IOException {
        Distribution distribution = Distribution.fresh();
        PluginJar.matcher("explosive", "test.explosive", "Explode",
                "return request -> { throw new IllegalStateException(\"boom from a plugin\"); };")
                .writeTo(distribution, distribution.plugins(), "explosive-1.0.0.jar");
        try (TestBackend guarded = TestBackend.start("guarded"); TestBackend fallback = TestBackend.start("fallback")) {
            int port = TestBackend.freePort();
            Path config = ConfigFile.write("explosive.toml", """
                    logLevel = "INFO"
                    [entryPoints]
                      [entryPoints.http]
                      address = "127.0.0.1:%d"
                    [file]
                    [frontends]
                      [frontends.guarded]
                      backend = "guarded"
                      priority = 20
                        [frontends.guarded.routes.main]
                        rule = "Host:boom.test;Explode:x"
                      [frontends.fallback]
                      backend = "fallback"
                      priority = 10
                        [frontends.fallback.routes.main]
                        rule = "Host:boom.test"
                    [backends]
                      [backends.guarded.servers.one]
                      url = "%s"
                      [backends.fallback.servers.one]
                      url = "%s"
                    """.formatted(port, guarded.url(), fallback.url()));
            try (SwitchboardProcess proxy = SwitchboardProcess.of(distribution).start("-c", config.toString())) {
                HttpConnection.Response first = proxy.awaitResponse(port, "boom.test", "/", 200, TIMEOUT);
                assertEquals("fallback", first.firstLine(), "a throwing matcher does not match: " + first);
                try (HttpConnection connection = HttpConnection.open(port)) {
                    for (int i = 0; i < 5; i++) {
                        assertEquals("fallback", connection.get("boom.test", "/" + i).firstLine());
                    }
                }
                assertEquals(0, guarded.requests());
                Poll.untilTrue(Duration.ofSeconds(10), "the failure to be logged naming the plugin", proxy,
                        () -> proxy.output().lines().anyMatch(l -> l.contains("explosive") && l.contains("Explode")));
                proxy.terminate();
            }
        }
    }

    @Test
    void matcherFactoryThatThrowsOnCreateRejectsTheConfigurationNamingThePlugin() throws IOException {
        Distribution distribution = Distribution.fresh();
        PluginJar.matcher("clumsy-plugin", "test.clumsy", "Clumsy",
                "throw new NullPointerException(\"clumsy factory\");")
                .writeTo(distribution, distribution.plugins(), "clumsy-1.0.0.jar");
        Path config = ConfigFile.write("clumsy.toml", """
                [entryPoints]
                  [entryPoints.http]
                  address = "127.0.0.1:8080"
                [file]
                [frontends]
                  [frontends.clumsy]
                  backend = "any"
                    [frontends.clumsy.routes.main]
                    rule = "Clumsy:x"
                [backends]
                  [backends.any.servers.one]
                  url = "http://127.0.0.1:9"
                """);
        SwitchboardProcess.Result result = SwitchboardProcess.of(distribution)
                .run(TIMEOUT, "check", "-c", config.toString());
        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().lines().anyMatch(line -> line.contains("clumsy.toml:")
                        && line.contains("frontends.clumsy.routes.main.rule") && line.contains("clumsy-plugin")),
                "the error should be located and name the plugin 'clumsy-plugin':\n" + result.output());
    }

    private static Path minimalConfig() throws IOException {
        return ConfigFile.write("minimal.toml", """
                logLevel = "INFO"
                defaultEntryPoints = ["http"]
                [entryPoints]
                  [entryPoints.http]
                  address = "127.0.0.1:%d"
                [file]
                [frontends]
                  [frontends.any]
                  backend = "any"
                    [frontends.any.routes.host]
                    rule = "Host:any.test"
                [backends]
                  [backends.any.servers.one]
                  url = "http://127.0.0.1:9"
                """.formatted(TestBackend.freePort()));
    }
}
