package dev.switchboard.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/** What {@code mvn package} ships: the tarball's layout, and the unpacked copy beside it. */
class TarballIT {

    @Test
    void tarballHoldsLauncherLibPluginsAndConfUnderOneVersionedFolder() throws IOException {
        Distribution distribution = Distribution.shared();
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(distribution.launcher());
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_EXECUTE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE), mode,
                "bin/switchboard must be 0755");
        assertTrue(Files.readString(distribution.launcher()).startsWith("#!/bin/sh\n"), "POSIX sh, unix line ends");
        assertTrue(Files.isRegularFile(distribution.conf("switchboard.toml")));
        assertTrue(Files.isRegularFile(distribution.conf("demo.toml")));

        List<String> lib = names(distribution.lib());
        for (String jar : List.of("kernel-" + Distribution.VERSION + ".jar", "spi-" + Distribution.VERSION + ".jar")) {
            assertTrue(lib.contains(jar), "lib/ should hold " + jar + ": " + lib);
        }
        assertTrue(lib.stream().anyMatch(n -> n.startsWith("pf4j-")), "lib/ should hold PF4J: " + lib);
        assertTrue(lib.stream().noneMatch(n -> n.startsWith("plugin-")), "no plugin belongs in lib/: " + lib);
        assertTrue(lib.stream().noneMatch(n -> n.contains("junit") || n.contains("jqwik")), "no test jars: " + lib);

        assertEquals(List.of(
                "plugin-balancers-" + Distribution.VERSION + "-plugin.jar",
                "plugin-breaker-mvel-" + Distribution.VERSION + "-plugin.jar",
                "plugin-matchers-" + Distribution.VERSION + "-plugin.jar",
                "plugin-provider-file-" + Distribution.VERSION + "-plugin.jar"), names(distribution.plugins()));
        Report.line("lib/: " + lib);
    }

    @Test
    void builtInPluginJarsArePf4jPluginsWithoutACopyOfTheContract() throws IOException {
        Distribution distribution = Distribution.shared();
        for (String name : names(distribution.plugins())) {
            try (JarFile jar = new JarFile(distribution.plugins().resolve(name).toFile())) {
                Attributes manifest = jar.getManifest().getMainAttributes();
                assertNotNull(manifest.getValue("Plugin-Id"), name + ": Plugin-Id");
                assertNotNull(manifest.getValue("Plugin-Version"), name + ": Plugin-Version");
                String requires = manifest.getValue("Plugin-Requires");
                assertNotNull(requires, name + ": Plugin-Requires (unset, PF4J skips the SPI version check)");
                assertTrue(requires.contains(Distribution.SPI_VERSION), name + ": Plugin-Requires " + requires);
                ZipEntry index = jar.getEntry("META-INF/extensions.idx");
                assertNotNull(index, name + ": META-INF/extensions.idx (PF4J's annotation processor did not run)");
                List<String> bundled = new ArrayList<>();
                for (Enumeration<java.util.jar.JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                    String entry = e.nextElement().getName();
                    if (entry.startsWith("org/pf4j/") || entry.startsWith("dev/switchboard/spi/")
                            || entry.startsWith("org/slf4j/")) {
                        bundled.add(entry);
                    }
                }
                assertEquals(List.of(), bundled, name + " must not bundle the SPI, PF4J or SLF4J (a second copy of "
                        + "the contract breaks extension loading)");
            }
        }
    }

    @Test
    void unpackedDirectoryBesideTheTarballHasTheSameFiles() throws IOException {
        Path unpacked = Distribution.TARBALL.getParent().resolve(Distribution.NAME);
        assertTrue(Files.isDirectory(unpacked), "the build should also leave " + unpacked);
        assertEquals(tree(Distribution.shared().home), tree(unpacked));
        assertTrue(Files.isExecutable(unpacked.resolve("bin/switchboard")));
        assertFalse(Files.exists(unpacked.resolve(Distribution.NAME)), "no nested folder in the unpacked copy");
    }

    @Test
    void tarballSizeIsReported() {
        long size = Distribution.size(Distribution.TARBALL);
        Report.line("tarball " + Distribution.TARBALL.getFileName() + ": " + size + " bytes (" + size / 1024
                + " KiB)");
        assertTrue(size > 0 && size < 50L * 1024 * 1024, "tarball size " + size);
    }

    private static List<String> names(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static List<String> tree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted()
                    .collect(Collectors.toList());
        }
    }
}
