package dev.switchboard.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * {@code [file] watch = true} on the main file, end to end: an edit is picked up while serving, an invalid edit is
 * reported with file and line and the last good configuration keeps serving.
 */
@Timeout(180)
class ReloadIT {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration RELOAD_TIMEOUT = Duration.ofSeconds(30);

    private static String config(int port, String backendUrl, String rule) {
        return """
                logLevel = "INFO"
                defaultEntryPoints = ["http"]
                [entryPoints]
                  [entryPoints.http]
                  address = "127.0.0.1:%d"
                [file]
                  watch = true
                [frontends]
                  [frontends.site]
                  backend = "site"
                    [frontends.site.routes.host]
                    rule = "%s"
                [backends]
                  [backends.site.servers.one]
                  url = "%s"
                """.formatted(port, rule, backendUrl);
    }

    @Test
    void editedMainFileIsReloadedAndAnInvalidEditKeepsTheLastGoodConfiguration() throws IOException {
        try (TestBackend first = TestBackend.start("first"); TestBackend second = TestBackend.start("second")) {
            int port = TestBackend.freePort();
            Path file = ConfigFile.write("watched.toml", config(port, first.url(), "Host:reload.test"));
            try (SwitchboardProcess proxy = SwitchboardProcess.of(Distribution.shared())
                    .start("-c", file.toString())) {
                proxy.awaitResponse(port, "reload.test", "/", 200, START_TIMEOUT);
                assertEquals("first", HttpConnection.get(port, "reload.test", "/").firstLine());

                replace(file, config(port, second.url(), "Host:reload.test"));
                Poll.until(RELOAD_TIMEOUT, "the edit (server first → second) to be served", proxy,
                        () -> "second".equals(HttpConnection.get(port, "reload.test", "/").firstLine())
                                ? Boolean.TRUE : null);

                String broken = config(port, first.url(), "Hots:reload.test");
                replace(file, broken);
                int line = ConfigFile.lineOf(file, "Hots:reload.test");
                String location = file.getFileName() + ":" + line + ":";
                Poll.untilTrue(RELOAD_TIMEOUT, "the invalid edit to be reported at " + location, proxy,
                        () -> proxy.output().contains(location));
                HttpConnection.Response still = HttpConnection.get(port, "reload.test", "/");
                assertEquals("second", still.firstLine(), "the last good configuration must keep serving: " + still);

                replace(file, config(port, first.url(), "Host:reload.test"));
                Poll.until(RELOAD_TIMEOUT, "the repaired file to be served", proxy,
                        () -> "first".equals(HttpConnection.get(port, "reload.test", "/").firstLine())
                                ? Boolean.TRUE : null);
                proxy.terminate();
            }
        }
    }

    /** Replaces the file as editors and config management do: write a sibling, then rename over it. */
    private static void replace(Path file, String text) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertTrue(Files.readString(file).equals(text));
    }
}
