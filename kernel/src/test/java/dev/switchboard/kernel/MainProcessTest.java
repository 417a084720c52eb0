package dev.switchboard.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Main} in its own JVM, where the logging set-up before the first logger can be observed. */
class MainProcessTest {

    record Result(int code, String out, String err) {
    }

    static Result main(Path dir, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-cp", cp, "-Dswitchboard.home=" + dir,
                Main.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "exits");
        return new Result(p.exitValue(), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    @Test
    void checkWithTheDefaultFileUnderHomePrintsOnlyItsOwnReportAndNoLogLines(@TempDir Path home) throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/switchboard.toml"), """
                logLevel = "DEBUG"
                [entryPoints.http]
                address = ":8080"
                [inline.frontends]
                api = "Host: api.localhost -> http://127.0.0.1:8001"
                """);
        Result r = main(home, "check");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("configuration is valid: 1 entry points, 1 frontends, 1 backends"), r.out());
        assertFalse(r.err().contains("INFO") || r.err().contains("DEBUG"), r.err());
    }

    @Test
    void checkReportsStaticAndPluginErrorsTogether(@TempDir Path home) throws Exception {
        Files.createDirectories(home.resolve("plugins"));
        Files.writeString(home.resolve("plugins/broken.jar"), "not a jar");
        Path conf = home.resolve("s.toml");
        Files.writeString(conf, "logLevel = \"LOUD\"\n");
        Result r = main(home, "check", "-c", conf.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains(conf + ":1: logLevel: unknown log level"), r.err());
        assertTrue(r.err().contains(home.resolve("plugins/broken.jar") + ": plugins: cannot load plugin"), r.err());
        assertTrue(r.err().contains("2 errors in " + conf), r.err());
    }

    @Test
    void runServesUntilSigtermThenStopsGracefullyWithExit0(@TempDir Path home) throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/switchboard.toml"), """
                logLevel = "INFO"
                [entryPoints.http]
                address = "127.0.0.1:%d"
                [inline.frontends]
                api = "Host: api.localhost -> http://127.0.0.1:1"
                """.formatted(port));
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(javaBin, "-cp", cp, "-Dswitchboard.home=" + home, Main.class.getName())
                .redirectOutput(home.resolve("out.txt").toFile()).redirectError(home.resolve("err.txt").toFile())
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            boolean listening = false;
            while (!listening && p.isAlive() && System.nanoTime() < deadline) {
                try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
                    listening = true;
                } catch (java.io.IOException e) {
                    java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
                }
            }
            if (!listening) {
                p.waitFor(10, TimeUnit.SECONDS);
                String err = Files.readString(home.resolve("err.txt"));
                org.junit.jupiter.api.Assumptions.assumeFalse(err.contains("not built yet"),
                        "the network layer is not built in this tree yet");
                throw new AssertionError("never listened; stderr:\n" + err);
            }
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "stops");
            String err = Files.readString(home.resolve("err.txt"));
            assertEquals(0, p.exitValue(), err);
            assertTrue(err.contains("switchboard stopped"), err);
            assertTrue(err.matches("(?s).*\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}.*\\[main\\].*"),
                    "date-time and thread name shown: " + err);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void usageErrorExits2() throws Exception {
        Path dir = Files.createTempDirectory("sb-main");
        Result r = main(dir, "check", "--bogus");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown argument \"--bogus\""), r.err());
        for (File f : dir.toFile().listFiles()) {
            f.delete();
        }
        dir.toFile().delete();
    }
}
