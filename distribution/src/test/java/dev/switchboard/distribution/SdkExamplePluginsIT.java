package dev.switchboard.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The SDK's example plugins (sdk/examples: the ClientIP rule and the p2c balancer), built with the SDK's parent POM
 * as a third party builds a plugin, dropped into an unpacked distribution's {@code plugins/} folder: {@code check}
 * lists them, and the launched proxy routes with them over real sockets.
 */
@Timeout(120)
class SdkExamplePluginsIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> JARS = List.of("clientip-matcher-1.0.0.jar", "p2c-balancer-1.0.0.jar");

    private static Distribution withExamplePlugins() throws IOException {
        String dir = System.getProperty("switchboard.sdkExamplePlugins");
        assertTrue(dir != null && !dir.isBlank(), "switchboard.sdkExamplePlugins (set by failsafe)");
        Distribution distribution = Distribution.fresh();
        for (String jar : JARS) {
            Path built = Path.of(dir, jar);
            assertTrue(Files.isRegularFile(built), "example plugin not built: " + built);
            Files.copy(built, distribution.plugins().resolve(jar));
        }
        return distribution;
    }

    private static Path config(int port, TestBackend inside, TestBackend outside, TestBackend a, TestBackend b) {
        return ConfigFile.write("sdk-examples.toml", """
                logLevel = "INFO"
                defaultEntryPoints = ["http"]
                [entryPoints]
                  [entryPoints.http]
                  address = "127.0.0.1:%d"
                [file]
                [frontends]
                  [frontends.inside]
                  backend = "inside"
                    [frontends.inside.routes.ip]
                    rule = "Host:ip.test;ClientIP: 127.0.0.0/8, ::1/128"
                  [frontends.office]
                  backend = "inside"
                    [frontends.office.routes.ip]
                    rule = "Host:office.test;ClientIP: 10.0.0.0/8"
                  [frontends.outside]
                  backend = "outside"
                  priority = 1
                    [frontends.outside.routes.any]
                    rule = "HostRegexp:{any:.+}"
                  [frontends.pool]
                  backend = "pool"
                    [frontends.pool.routes.host]
                    rule = "Host:pool.test"
                [backends]
                  [backends.inside.servers.one]
                  url = "%s"
                  [backends.outside.servers.one]
                  url = "%s"
                  [backends.pool.loadBalancer]
                  method = "p2c"
                  [backends.pool.servers.a]
                  url = "%s"
                  [backends.pool.servers.b]
                  url = "%s"
                """.formatted(port, inside.url(), outside.url(), a.url(), b.url()));
    }

    @Test
    void checkListsTheExamplePluginsAndAcceptsRulesAndMethodsThatUseThem() throws IOException {
        Distribution distribution = withExamplePlugins();
        try (TestBackend inside = TestBackend.start("inside"); TestBackend outside = TestBackend.start("outside");
             TestBackend a = TestBackend.start("a"); TestBackend b = TestBackend.start("b")) {
            Path config = config(TestBackend.freePort(), inside, outside, a, b);
            SwitchboardProcess.Result result = SwitchboardProcess.of(distribution)
                    .run(TIMEOUT, "check", "-c", config.toString());
            assertEquals(0, result.exitCode(), result.output());
            // check lists routes and methods, not plugins (a kernel change is requested): a rule or method whose
            // plugin is missing would fail the check, so these lines show the plugins were loaded.
            for (String expected : List.of("ClientIP: 127.0.0.0/8, ::1/128", "method p2c")) {
                assertTrue(result.output().contains(expected), "check should list '" + expected + "':\n"
                        + result.output());
            }
        }
    }

    @Test
    void clientIpRuleAndP2cMethodFromDroppedInJarsRouteRealRequests() throws IOException {
        Distribution distribution = withExamplePlugins();
        try (TestBackend inside = TestBackend.start("inside"); TestBackend outside = TestBackend.start("outside");
             TestBackend a = TestBackend.start("a"); TestBackend b = TestBackend.start("b")) {
            int port = TestBackend.freePort();
            Path config = config(port, inside, outside, a, b);
            try (SwitchboardProcess proxy = SwitchboardProcess.of(distribution).start("-c", config.toString())) {
                proxy.awaitResponse(port, "ip.test", "/", 200, TIMEOUT);
                try (HttpConnection connection = HttpConnection.open(port)) {
                    assertEquals("inside", connection.get("ip.test", "/").firstLine(),
                            "a loopback client is in 127.0.0.0/8");
                    assertEquals("outside", connection.send("GET", "/", Map.of("Host", "office.test",
                                    "X-Forwarded-For", "10.1.2.3"), null).firstLine(),
                            "a loopback client is not in 10.0.0.0/8, whatever X-Forwarded-For claims");
                    for (int i = 0; i < 30; i++) {
                        HttpConnection.Response r = connection.get("pool.test", "/p" + i);
                        assertEquals(200, r.status(), r.toString());
                    }
                }
                assertEquals(30, a.requests() + b.requests());
                assertTrue(a.requests() > 0 && b.requests() > 0,
                        "p2c breaks ties at random: both servers should see some of 30 requests (a=" + a.requests()
                                + ", b=" + b.requests() + ")");
                String log = proxy.output();
                assertTrue(log.contains("clientip-matcher") && log.contains("p2c-balancer"),
                        "start-up should log both plugins:\n" + log);
                proxy.terminate();
            }
        }
    }

    @Test
    void examplePluginRebuiltToRequireSpi2IsRefusedNamingTheRangeAndThisSpiVersion() throws IOException {
        Distribution distribution = withExamplePlugins();
        Path jar = distribution.plugins().resolve("clientip-matcher-1.0.0.jar");
        requireOtherSpi(jar, ">=2.0.0 & <3.0.0");
        try (TestBackend inside = TestBackend.start("inside"); TestBackend outside = TestBackend.start("outside");
             TestBackend a = TestBackend.start("a"); TestBackend b = TestBackend.start("b")) {
            Path config = config(TestBackend.freePort(), inside, outside, a, b);
            SwitchboardProcess.Result result = SwitchboardProcess.of(distribution)
                    .run(TIMEOUT, "check", "-c", config.toString());
            assertNotEquals(0, result.exitCode(), result.output());
            assertTrue(result.output().lines().anyMatch(l -> l.contains("clientip-matcher")
                            && l.contains(">=2.0.0 & <3.0.0") && l.contains(Distribution.SPI_VERSION)),
                    "one line should name the plugin, the range it requires and this SPI version:\n"
                            + result.output());
        }
    }

    /** Rewrites the jar's {@code Plugin-Requires}, as if the plugin had been built against a future SPI. */
    private static void requireOtherSpi(Path jar, String requires) throws IOException {
        Path copy = Files.createTempFile(jar.getParent(), ".rewrite-", ".tmp");
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
            Manifest manifest = in.getManifest();
            manifest.getMainAttributes().putValue("Plugin-Requires", requires);
            try (OutputStream file = Files.newOutputStream(copy);
                 JarOutputStream out = new JarOutputStream(file, manifest)) {
                for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                    out.putNextEntry(new JarEntry(e.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        Files.move(copy, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
