package dev.switchboard.provider.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.config.ConfigProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginManager;

/** The packaged plugin jar: loadable by PF4J, provides the {@code etcd} extension, carries no second SPI. */
class EtcdProviderPluginJarIT {

    @TempDir
    Path dir;

    private static Path pluginJar() {
        Path jar = Path.of(System.getProperty("plugin.jar", "target/plugin-provider-etcd-plugin.jar"));
        assertTrue(Files.isRegularFile(jar), "built plugin jar expected at " + jar);
        return jar;
    }

    @Test
    void pluginJarBundlesJacksonButNeitherTheSpiNorPf4jNorTheKernel() throws Exception {
        try (JarFile jar = new JarFile(pluginJar().toFile())) {
            List<String> names = jar.stream().map(e -> e.getName()).toList();
            assertTrue(names.contains("com/fasterxml/jackson/databind/ObjectMapper.class"));
            assertTrue(names.stream().noneMatch(n -> n.startsWith("dev/switchboard/spi/")), "SPI bundled");
            assertTrue(names.stream().noneMatch(n -> n.startsWith("dev/switchboard/kernel/")), "kernel bundled");
            assertTrue(names.stream().noneMatch(n -> n.startsWith("org/pf4j/")), "PF4J bundled");
            assertTrue(names.stream().noneMatch(n -> n.startsWith("org/slf4j/")), "SLF4J bundled");
            assertEquals("etcd-provider", jar.getManifest().getMainAttributes().getValue("Plugin-Id"));
        }
    }

    @Test
    void pf4jLoadsThePluginAndItsEtcdProviderReadsItsSettings() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Files.copy(pluginJar(), plugins.resolve("plugin-provider-etcd.jar"));
        PluginManager manager = new DefaultPluginManager(plugins);
        try {
            manager.loadPlugins();
            manager.startPlugins();
            List<ConfigProvider> providers = manager.getExtensions(ConfigProvider.class, "etcd-provider");
            assertEquals(1, providers.size());
            ConfigProvider provider = providers.get(0);
            assertEquals("etcd", provider.name());
            assertNotEquals(getClass().getClassLoader(), provider.getClass().getClassLoader(),
                    "loaded by the plugin's own class loader");
            // Settings are read by the plugin's own classes (v2 refused before any network access).
            ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                    () -> provider.check(RecordingContext.etcdSection(Map.of("useAPIV3", false))));
            assertTrue(e.getMessage().contains("v2 API is not supported"), e.getMessage());
        } finally {
            manager.stopPlugins();
            manager.unloadPlugins();
        }
    }
}
