package dev.switchboard.distribution;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Configuration files written by tests from templates, each in a folder of its own. */
final class ConfigFile {
    private ConfigFile() {
    }

    /** Writes {@code toml} as {@code fileName} in a new folder and returns its absolute path. */
    static Path write(String fileName, String toml) {
        try {
            Files.createDirectories(Distribution.IT_DIR);
            Path directory = Files.createTempDirectory(Distribution.IT_DIR, "conf-");
            return Files.writeString(directory.resolve(fileName), toml, StandardCharsets.UTF_8).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The 1-based number of the only line of {@code file} that contains {@code snippet}. */
    static int lineOf(Path file, String snippet) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            int found = -1;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(snippet)) {
                    if (found > 0) {
                        fail("template error: '" + snippet + "' is on lines " + found + " and " + (i + 1));
                    }
                    found = i + 1;
                }
            }
            if (found < 0) {
                fail("template error: '" + snippet + "' is not in " + file);
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
