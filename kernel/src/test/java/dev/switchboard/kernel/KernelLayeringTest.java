package dev.switchboard.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The kernel names no plugin class and depends on nothing but the JDK, the SPI, PF4J, SLF4J and Jackson (for the
 * static TOML): plugins are found through PF4J only (ARCHITECTURE.md, "Modules and who may depend on whom").
 * The JDK's own HTTP server ({@code jdk.httpserver}) is allowed for the {@code --demo} backends only: they are not on
 * the proxy's data path.
 */
class KernelLayeringTest {
    private static final List<String> ALLOWED = List.of("java.", "javax.", "dev.switchboard.kernel.",
            "dev.switchboard.spi.", "org.pf4j.", "org.slf4j.", "com.fasterxml.jackson.");

    @Test
    void kernelSourcesImportOnlyTheJdkSpiPf4jSlf4jAndJackson() throws IOException {
        Path root = Path.of("src/main/java");
        List<String> offending = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    String l = line.trim();
                    if (!l.startsWith("import ")) {
                        continue;
                    }
                    String name = l.substring(l.startsWith("import static ") ? 14 : 7).replace(";", "").trim();
                    boolean demoBackend = f.startsWith(root.resolve("dev/switchboard/kernel/demo"))
                            && name.startsWith("com.sun.net.httpserver.");
                    if (!demoBackend && ALLOWED.stream().noneMatch(name::startsWith)) {
                        offending.add(root.relativize(f) + ": " + l);
                    }
                }
            }
        }
        assertEquals(List.of(), offending);
    }
}
