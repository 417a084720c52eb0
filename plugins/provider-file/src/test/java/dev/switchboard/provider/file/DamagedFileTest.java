package dev.switchboard.provider.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.config.ConfigProblem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * A file damaged anywhere (a cut, a stray character) never makes the provider throw: the load either publishes
 * or rejects, and every problem points at a line of the file.
 */
class DamagedFileTest {

    private static final String TEXT = TraefikV1FilesTest.FULL_EXAMPLE;
    private static final int LINES = (int) TEXT.lines().count();

    @Provide
    Arbitrary<String> stray() {
        return Arbitraries.of("", "\"", "'", "[", "]", "=", ".", "\n", "{", "}", "#", "[[", "\"\"\"", "x", "-1", "\\");
    }

    @Property(tries = 100)
    void damagedFileIsPublishedOrRejectedWithLinesInTheFile(@ForAll @IntRange(min = 0, max = 6000) int at,
                                                           @ForAll @IntRange(min = 0, max = 40) int cut,
                                                           @ForAll("stray") String inserted) throws Exception {
        int start = Math.min(at, TEXT.length());
        int end = Math.min(start + cut, TEXT.length());
        String damaged = TEXT.substring(0, start) + inserted + TEXT.substring(end);
        Path dir = Files.createTempDirectory("damaged");
        try {
            Path rules = dir.resolve("rules.toml");
            Files.writeString(rules, damaged);
            RecordingContext context = RecordingContext.fileSection(null, Map.of("filename", rules.toString()));
            new FileProvider().check(context);
            assertEquals(1, context.published.size() + context.rejected.size(), "exactly one outcome");
            if (!context.rejected.isEmpty()) {
                assertFalse(context.rejected.peek().problems().isEmpty());
                for (ConfigProblem p : context.rejected.peek().problems()) {
                    assertTrue(p.origin().line() >= 1 && p.origin().line() <= LINES + 2, p.toString());
                    assertFalse(p.message().isBlank(), p.toString());
                }
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }
}
