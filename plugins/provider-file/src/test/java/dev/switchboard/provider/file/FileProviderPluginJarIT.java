package dev.switchboard.provider.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** The packaged plugin jar: loadable by PF4J, provides the {@code file} extension, carries no second SPI. */
class FileProviderPluginJarIT {

    @TempDir
    Path dir;

    private static Path pluginJar() {
        Path jar = Path.of(System.getProperty("plugin.jar", "target/plugin-provider-file-plugin.jar"));
        assertTrue(Files.isRegularFile(jar), "built plugin jar expected at " + jar);
        return jar;
    }

    @Test
    void pluginJarBundlesJacksonButNeitherTheSpiNorPf4j() throws Exception {
        try (JarFile jar = new JarFile(pluginJar().toFile())) {
            List<String> names = jar.stream().map(e -> e.getName()).toList();
            assertTrue(names.contains("com/fasterxml/jackson/dataformat/toml/TomlMapper.class"));
            assertTrue(names.stream().noneMatch(n -> n.startsWith("dev/switchboard/spi/")), "SPI bundled");
            assertTrue(names.stream().noneMatch(n -> n.startsWith("org/pf4j/")), "PF4J bundled");
            assertTrue(names.stream().noneMatch(n -> n.startsWith("org/slf4j/")), "SLF4J bundled");
            assertEquals("file-provider", jar.getManifest().getMainAttributes().getValue("Plugin-Id"));
        }
    }

    @Test
    void pf4jLoadsThePluginAndItsFileProviderReadsAFile() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Files.copy(pluginJar(), plugins.resolve("plugin-provider-file.jar"));
        PluginManager manager = new DefaultPluginManager(plugins);
        try {
            manager.loadPlugins();
            manager.startPlugins();
            List<ConfigProvider> providers = manager.getExtensions(ConfigProvider.class, "file-provider");
            assertEquals(1, providers.size());
            ConfigProvider provider = providers.get(0);
            assertEquals("file", provider.name());
            assertNotEquals(getClass().getClassLoader(), provider.getClass().getClassLoader(),
                    "loaded by the plugin's own class loader");

            Path rules = dir.resolve("rules.toml");
            Files.writeString(rules, "[backends.b.servers.s]\nurl = \"http://10.0.0.1:80\"\n");
            RecordingContext context = RecordingContext.fileSection(null, Map.of("filename", rules.toString()));
            provider.check(context);
            assertEquals(1, context.onlySnapshot().backends().size());
        } finally {
            manager.stopPlugins();
            manager.unloadPlugins();
        }
    }
}
