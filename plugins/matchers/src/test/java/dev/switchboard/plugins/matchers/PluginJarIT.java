package dev.switchboard.plugins.matchers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.SpiVersion;
import dev.switchboard.spi.match.MatcherFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.JarPluginManager;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;

/**
 * The shaded plugin jar as the kernel will meet it: packaged right (extensions indexed, manifest written, no SPI or
 * PF4J classes inside) and loadable by PF4J 3.13, which needs no {@code Plugin-Class} (it then instantiates
 * {@code org.pf4j.Plugin} itself).
 */
class PluginJarIT {
    private static final Set<String> NAMES = Set.of("Host", "HostRegexp", "Path", "PathPrefix", "Method", "Headers", "HeadersRegexp", "Query",
            "PathStrip", "PathStripRegex", "PathPrefixStrip", "PathPrefixStripRegex", "AddPrefix", "ReplacePath",
            "ReplacePathRegex");

    private static Path jar() {
        String path = System.getProperty("plugin.jar");
        assertNotNull(path, "plugin.jar system property (set by the plugins' parent POM)");
        return Path.of(path);
    }

    @Test
    void jarIndexesItsExtensionsCarriesThemAndBundlesNoSpiOrPf4j() throws IOException {
        try (JarFile jar = new JarFile(jar().toFile())) {
            JarEntry idx = jar.getJarEntry("META-INF/extensions.idx");
            assertNotNull(idx, "META-INF/extensions.idx");
            List<String> extensions;
            try (InputStream in = jar.getInputStream(idx)) {
                extensions = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                        .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
            }
            assertEquals(NAMES.size(), extensions.size(), "one extension per name: " + extensions);
            for (String e : extensions) {
                assertNotNull(jar.getJarEntry(e.replace('.', '/') + ".class"), e + " is in the jar");
            }
            List<String> contract = jar.stream().map(JarEntry::getName)
                    .filter(n -> n.startsWith("dev/switchboard/spi/") || n.startsWith("org/pf4j/")).toList();
            assertTrue(contract.isEmpty(), "SPI or PF4J classes bundled: " + contract);

            Attributes manifest = jar.getManifest().getMainAttributes();
            assertEquals(System.getProperty("plugin.id"), manifest.getValue("Plugin-Id"));
            assertEquals(">=" + SpiVersion.CURRENT + " & <2.0.0", manifest.getValue("Plugin-Requires"));
            assertNotNull(manifest.getValue("Plugin-Version"));
            assertNull(manifest.getValue("Plugin-Class"), "stateless factories need no plugin class");
        }
    }

    @Test
    void pf4jLoadsTheJarAndFindsEveryFactoryByName(@TempDir Path plugins) throws IOException {
        Files.copy(jar(), plugins.resolve(jar().getFileName()));
        PluginManager manager = new JarPluginManager(plugins);
        manager.setSystemVersion(SpiVersion.CURRENT);
        manager.loadPlugins();
        manager.startPlugins();
        try {
            String id = System.getProperty("plugin.id");
            PluginWrapper plugin = manager.getPlugin(id);
            assertNotNull(plugin, "plugin " + id + " loaded");
            assertEquals(PluginState.STARTED, plugin.getPluginState());
            List<MatcherFactory> factories = manager.getExtensions(MatcherFactory.class, id);
            Set<String> names = factories.stream().map(MatcherFactory::name).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(new TreeSet<>(NAMES), names);
            for (MatcherFactory f : factories) {
                assertSame(plugin.getPluginClassLoader(), f.getClass().getClassLoader(),
                        f.name() + " comes from the plugin jar, not the class path");
                assertFalse(f.getClass().getClassLoader() == MatcherFactory.class.getClassLoader());
            }
        } finally {
            manager.stopPlugins();
            manager.unloadPlugins();
        }
    }
}
