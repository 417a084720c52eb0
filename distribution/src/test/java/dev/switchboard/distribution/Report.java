package dev.switchboard.distribution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;

/**
 * Measurements worth reading after a run (tarball size, start-up time): printed to the test output and appended to
 * {@code target/it/report.txt}.
 */
final class Report {
    private Report() {
    }

    static synchronized void line(String text) {
        System.out.println("[distribution] " + text);
        try {
            Files.createDirectories(Distribution.IT_DIR);
            Files.writeString(Distribution.IT_DIR.resolve("report.txt"), text + System.lineSeparator(),
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
