package dev.switchboard.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code bin/switchboard} itself: options, finding java and its home, signals. */
@Timeout(120)
class LauncherIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void versionPrintsTheSwitchboardAndSpiVersions() {
        SwitchboardProcess.Result result = SwitchboardProcess.of(Distribution.shared()).run(TIMEOUT, "--version");
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().lines().anyMatch(line -> line.equals(
                "switchboard " + Distribution.VERSION + " (SPI " + Distribution.SPI_VERSION + ")")),
                "expected 'switchboard " + Distribution.VERSION + " (SPI " + Distribution.SPI_VERSION + ")':\n"
                        + result.output());
    }

    @Test
    void helpPrintsUsageAndExitsZero() {
        SwitchboardProcess.Result result = SwitchboardProcess.of(Distribution.shared()).run(TIMEOUT, "--help");
        assertEquals(0, result.exitCode(), result.output());
        for (String expected : new String[] {"check", "--configFile", "--demo", "--version"}) {
            assertTrue(result.output().contains(expected), "usage should mention " + expected + ":\n"
                    + result.output());
        }
    }

    @Test
    void unknownOptionIsAUsageErrorWithExitCodeTwo() {
        SwitchboardProcess.Result result = SwitchboardProcess.of(Distribution.shared())
                .run(TIMEOUT, "--no-such-option");
        assertEquals(2, result.exitCode(), result.output());
        assertTrue(result.output().contains("--no-such-option"), "the error should name the option:\n"
                + result.output());
    }

    @Test
    void runsFromAnyWorkingDirectoryThroughAChainOfSymbolicLinks() throws IOException {
        Distribution distribution = Distribution.shared();
        Path links = Files.createTempDirectory(Distribution.IT_DIR, "links-");
        Path absolute = Files.createSymbolicLink(links.resolve("real-link"), distribution.launcher());
        Files.createDirectories(links.resolve("usr/local/bin"));
        Path relative = Files.createSymbolicLink(links.resolve("usr/local/bin/switchboard"),
                Path.of("../../../real-link"));
        SwitchboardProcess.Result result = SwitchboardProcess.of(distribution).launcher(relative).in(Path.of("/"))
                .env("CDPATH", links.toString()) // a set CDPATH must not confuse the launcher's cd
                .env("JAVA_OPTS", "-XshowSettings:properties")
                .run(TIMEOUT, "--version");
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("switchboard.home = " + distribution.home.toRealPath()),
                "switchboard.home must be the distribution folder whatever link and directory it was started from:\n"
                        + result.output());
        assertTrue(Files.isSymbolicLink(absolute));
    }

    @Test
    void javaOptsAreHandedToTheJvm() {
        SwitchboardProcess.Result result = SwitchboardProcess.of(Distribution.shared())
                .env("JAVA_OPTS", "-Dswitchboard.it.marker=from-java-opts   -XshowSettings:properties -Dit.glob=*")
                .run(TIMEOUT, "--version");
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("switchboard.it.marker = from-java-opts"), result.output());
        assertTrue(result.output().contains("it.glob = *"), "JAVA_OPTS must not be glob-expanded:\n"
                + result.output());
    }

    @Test
    void javaIsFoundOnPathWhenJavaHomeIsUnset() {
        String path = Path.of(System.getProperty("java.home"), "bin") + ":/usr/bin:/bin";
        SwitchboardProcess.Result result = SwitchboardProcess.of(Distribution.shared())
                .withoutEnv("JAVA_HOME").env("PATH", path)
                .run(TIMEOUT, "--version");
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("switchboard " + Distribution.VERSION), result.output());
    }

    @Test
    void javaHomeWithoutJavaFailsNamingIt() throws IOException {
        Path empty = Files.createTempDirectory(Distribution.IT_DIR, "not-a-jdk-");
        SwitchboardProcess.Result result = SwitchboardProcess.of(Distribution.shared())
                .env("JAVA_HOME", empty.toString())
                .run(TIMEOUT, "--version");
        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains(empty.toString()), "the message should name JAVA_HOME:\n"
                + result.output());
    }

    @Test
    void launcherExecsJavaSoTheStartedProcessIsTheJvmAndSigtermStopsItGracefully() throws IOException {
        try (TestBackend backend = TestBackend.start("only");
             SwitchboardProcess proxy = startSingleRoute(backend, TestBackend.freePort())) {
            ProcessHandle.Info info = ProcessHandle.of(proxy.pid()).orElseThrow().info();
            String command = info.command().orElse("");
            assertTrue(command.endsWith("/java"), "the launcher must exec java (pid " + proxy.pid() + " runs "
                    + command + "), else signals stop at the shell");
            proxy.terminate();
        }
    }

    @Test
    void sigintStopsTheProxyGracefullyWithExitCodeZero() throws IOException {
        try (TestBackend backend = TestBackend.start("only");
             SwitchboardProcess proxy = startSingleRoute(backend, TestBackend.freePort())) {
            proxy.signal("INT");
            assertEquals(0, proxy.awaitExit(SwitchboardProcess.STOP_TIMEOUT), proxy.describeOutput());
        }
    }

    @Test
    void sigtermLetsAnInFlightRequestFinishBeforeExiting() throws Exception {
        int port = TestBackend.freePort();
        try (TestBackend slow = TestBackend.slow("slow", 1500);
             SwitchboardProcess proxy = startSingleRoute(slow, port)) {
            int before = slow.requests();
            CompletableFuture<HttpConnection.Response> inFlight = CompletableFuture.supplyAsync(() -> {
                try {
                    return HttpConnection.get(port, "only.test", "/slow");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Poll.untilTrue(Duration.ofSeconds(10), "the slow request to reach the server", proxy,
                    () -> slow.requests() > before);
            proxy.terminate();
            HttpConnection.Response response = inFlight.get(10, TimeUnit.SECONDS);
            assertEquals(200, response.status(), "a request in flight at SIGTERM must be answered: " + response);
            assertEquals("slow", response.firstLine());
        }
    }

    @Test
    void withoutAConfigFileOptionTheDistributionsConfSwitchboardTomlIsRun() throws IOException {
        Distribution distribution = Distribution.fresh();
        try (TestBackend backend = TestBackend.start("default-conf")) {
            int port = TestBackend.freePort();
            Files.writeString(distribution.conf("switchboard.toml"), singleRoute("127.0.0.1:" + port, backend));
            for (String[] args : new String[][] {{}, {"run"}}) {
                try (SwitchboardProcess proxy = SwitchboardProcess.of(distribution).start(args)) {
                    HttpConnection.Response response = proxy.awaitResponse(port, "only.test", "/", 200, TIMEOUT);
                    assertEquals("default-conf", response.firstLine());
                    proxy.terminate();
                }
            }
        }
    }

    @Test
    void longConfigFileOptionIsAccepted() throws IOException {
        try (TestBackend backend = TestBackend.start("long-option")) {
            int port = TestBackend.freePort();
            Path config = ConfigFile.write("long.toml", singleRoute("127.0.0.1:" + port, backend));
            try (SwitchboardProcess proxy = SwitchboardProcess.of(Distribution.shared())
                    .start("run", "--configFile", config.toString())) {
                assertEquals("long-option", proxy.awaitResponse(port, "only.test", "/", 200, TIMEOUT).firstLine());
                proxy.terminate();
            }
        }
    }

    /** A proxy with one frontend, {@code Host:only.test} → {@code backend}, serving once this returns. */
    private static SwitchboardProcess startSingleRoute(TestBackend backend, int port) {
        Path config = ConfigFile.write("single.toml", singleRoute("127.0.0.1:" + port, backend));
        SwitchboardProcess proxy = SwitchboardProcess.of(Distribution.shared()).start("-c", config.toString());
        try {
            proxy.awaitResponse(port, "unrouted.test", "/", 404, TIMEOUT);
            return proxy;
        } catch (RuntimeException | Error e) {
            proxy.close();
            throw e;
        }
    }

    private static String singleRoute(String address, TestBackend backend) {
        return """
                logLevel = "INFO"
                defaultEntryPoints = ["http"]
                [entryPoints]
                  [entryPoints.http]
                  address = "%s"
                [file]
                [frontends]
                  [frontends.only]
                  backend = "only"
                    [frontends.only.routes.host]
                    rule = "Host:only.test"
                [backends]
                  [backends.only.servers.one]
                  url = "%s"
                """.formatted(address, backend.url());
    }
}
