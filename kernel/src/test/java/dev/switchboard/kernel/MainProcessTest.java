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
