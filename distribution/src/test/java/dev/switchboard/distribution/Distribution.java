package dev.switchboard.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The built tarball, unpacked with the system's {@code tar} exactly as a user would unpack it.
 *
 * <p>{@link #shared()} is unpacked once per test JVM and must be treated as read-only; a test that changes the
 * distribution (drops a jar into {@code plugins/}) takes its own copy with {@link #fresh()}.
 */
final class Distribution {
    static final String VERSION = required("switchboard.version");
    static final String SPI_VERSION = required("switchboard.spiVersion");
    static final String NAME = required("switchboard.distName");
    static final Path TARBALL = Paths.get(required("switchboard.tarball"));
    static final Path IT_DIR = Paths.get(required("switchboard.itDir"));

    static {
        deleteRecursively(IT_DIR); // each run starts from an empty target/it: unpacked copies, logs, report
    }

    private static Distribution shared;

    final Path home;

    private Distribution(Path home) {
        this.home = home;
    }

    /** The distribution unpacked once for every test that only reads it. */
    static synchronized Distribution shared() {
        if (shared == null) {
            shared = fresh();
        }
        return shared;
    }

    /** A private copy of the distribution, unpacked from the tarball into a new folder. */
    static Distribution fresh() {
        try {
            assertTrue(Files.isRegularFile(TARBALL), "tarball not built: " + TARBALL + " (run mvn package first)");
            Files.createDirectories(IT_DIR);
            Path target = Files.createTempDirectory(IT_DIR, "unpacked-");
            Process tar = new ProcessBuilder("tar", "-xzf", TARBALL.toString(), "-C", target.toString())
                    .redirectErrorStream(true).start();
            String output = new String(tar.getInputStream().readAllBytes());
            assertTrue(tar.waitFor(60, TimeUnit.SECONDS), "tar did not finish within 60 s");
            assertEquals(0, tar.exitValue(), "tar -xzf " + TARBALL + " failed: " + output);
            try (Stream<Path> top = Files.list(target)) {
                List<String> names = top.map(p -> p.getFileName().toString()).collect(Collectors.toList());
                assertEquals(List.of(NAME), names, "the tarball must hold one top folder named " + NAME);
            }
            return new Distribution(target.resolve(NAME));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while unpacking", e);
        }
    }

    Path launcher() {
        return home.resolve("bin").resolve("switchboard");
    }

    Path lib() {
        return home.resolve("lib");
    }

    Path plugins() {
        return home.resolve("plugins");
    }

    Path conf(String file) {
        return home.resolve("conf").resolve(file);
    }

    /** Every jar in {@code lib/}: the class path a third-party plugin compiles against. */
    List<Path> libJars() {
        try (Stream<Path> jars = Files.list(lib())) {
            return jars.filter(p -> p.toString().endsWith(".jar")).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + root, e);
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property
                    + " is not set: run the distribution tests through Maven (failsafe sets it)");
        }
        return value;
    }
}
