package dev.switchboard.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.SpiVersion;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void versionPrintsProductAndSpiVersions() {
        assertEquals(0, run("--version"));
        assertTrue(out().matches("switchboard \\S+ \\(SPI " + SpiVersion.CURRENT.replace(".", "\\.") + "\\)\\R"),
                out());
    }

    @Test
    void unknownArgumentIsAUsageErrorWithExit2() {
        assertEquals(2, run("--frobnicate"));
        assertTrue(err().contains("unknown argument \"--frobnicate\"") && err().contains("usage: switchboard"));
        assertEquals(2, run("check", "-c"));
    }

    @Test
    void helpPrintsUsage() {
        assertEquals(0, run("--help"));
        assertTrue(out().startsWith("usage: switchboard"));
    }

    @Test
    void checkOfAValidFileListsEntryPointsFrontendsAndBackends(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("switchboard.toml");
        Files.writeString(f, """
                defaultEntryPoints = ["http"]
                [entryPoints.http]
                address = "127.0.0.1:8080"
                [entryPoints.admin]
                address = ":9090"
                [inline.frontends]
                api = "Host: api.localhost -> http://127.0.0.1:8001"
                web = "Host:localhost;PathPrefix:/web -> http://127.0.0.1:8002"
                """);
        assertEquals(0, run("check", "-c", f.toString()), err());
        String o = out();
        assertTrue(o.contains("  http  127.0.0.1:8080  (default)"), o);
        assertTrue(o.contains("  admin  :9090"), o);
        assertTrue(o.indexOf("  web  priority 30  entry points http  backend web")
                < o.indexOf("  api  priority 19  entry points http  backend api"), o);
        assertTrue(o.contains("    route r0: Host:localhost;PathPrefix:/web"), o);
        assertTrue(o.contains("    s0  http://127.0.0.1:8001  weight 1"), o);
        assertTrue(o.contains("configuration is valid: 2 entry points, 2 frontends, 2 backends"), o);
    }

    @Test
    void checkOfABrokenFileReportsEveryErrorAsFileLineKeyAndExits1(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.toml");
        Files.writeString(f, """
                logLevel = "CHATTY"
                [entryPoints.http]
                address = "localhost"
                [respondingTimeouts]
                idleTimeout = "forever"
                """);
        assertEquals(1, run("check", "--configFile", f.toString()));
        String e = err();
        assertTrue(e.contains(f + ":1: logLevel: unknown log level \"CHATTY\""), e);
        assertTrue(e.contains(f + ":3: entryPoints.http.address: invalid address \"localhost\""), e);
        assertTrue(e.contains(f + ":5: respondingTimeouts.idleTimeout: "), e);
        assertTrue(e.contains("3 errors in " + f), e);
        assertEquals("", out());
    }

    @Test
    void checkReportsRoutingErrorsOfTheProvidersConfiguration(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("s.toml");
        Files.writeString(f, """
                [entryPoints.http]
                address = ":80"
                [inline.frontends]
                api = "Hots: api.localhost -> http://127.0.0.1:8001"
                web = "PathPrefix: web -> gopher://127.0.0.1:8002"
                """);
        assertEquals(1, run("check", "-c", f.toString()));
        String e = err();
        assertTrue(e.contains("unknown function \"Hots\"; did you mean \"Host\"?"), e);
        assertTrue(e.contains("path prefix \"web\" must start with /"), e);
        assertTrue(e.contains("has scheme \"gopher\""), e);
        assertTrue(e.contains("3 errors"), e);
    }

    @Test
    void checkReportsProviderRejectionsAndWarningsAndUnbuiltSections(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("s.toml");
        Files.writeString(f, """
                [entryPoints.http]
                address = ":80"
                [docker]
                endpoint = "unix:///var/run/docker.sock"
                [inline]
                warn = "key x accepted, not built yet"
                reject = "frontends.f.backend: expected a string"
                """);
        assertEquals(1, run("check", "-c", f.toString()));
        String e = err();
        assertTrue(e.contains("warning: " + f + ":3: docker: accepted, not built yet"), e);
        assertTrue(e.contains("warning: " + f + ":5: inline.warn: key x accepted, not built yet"), e);
        assertTrue(e.contains(f + ":6: inline.reject: frontends.f.backend: expected a string"), e);
    }

    @Test
    void missingFileIsReported(@TempDir Path dir) {
        assertEquals(1, run("check", "-c", dir.resolve("nope.toml").toString()));
        assertTrue(err().contains("nope.toml: cannot read the configuration file"));
    }
}
