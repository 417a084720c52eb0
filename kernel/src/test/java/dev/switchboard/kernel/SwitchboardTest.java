package dev.switchboard.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.config.ConfigProblem;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up failures that stop before any socket is bound. */
class SwitchboardTest {

    static List<String> startErrors(String toml, Switchboard.Options options) {
        Switchboard s = Switchboard.fromToml(toml, options);
        ConfigException e = assertThrows(ConfigException.class, s::start);
        s.close();
        return e.problems().stream().map(ConfigProblem::toString).collect(Collectors.toList());
    }

    @Test
    void invalidStaticConfigurationFailsStartWithEveryError(@TempDir Path dir) {
        List<String> errors = startErrors("logLevel = \"LOUD\"\n[entryPoints.http]\naddress = \"x\"\n",
                Switchboard.Options.defaults().withPluginsDir(dir));
        assertEquals(2, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains(":1: logLevel: unknown log level \"LOUD\""), errors.get(0));
        assertTrue(errors.get(1).contains(":3: entryPoints.http.address: invalid address \"x\""), errors.get(1));
    }

    @Test
    void fileSectionWithoutTheFileProviderPluginFailsStartNamingIt(@TempDir Path dir) {
        List<String> errors = startErrors("[entryPoints.http]\naddress = \":0\"\n[file]\nwatch = true\n",
                Switchboard.Options.defaults().withPluginsDir(dir));
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains(":3: file: no configuration provider named 'file' is installed"),
                errors.get(0));
    }

    @Test
    void brokenPluginFolderFailsStartBeforeAnyProviderRuns(@TempDir Path dir) {
        dev.switchboard.kernel.testing.TestPluginJars.corruptJar(dir, "zzz.jar");
        List<String> errors = startErrors("[entryPoints.http]\naddress = \":0\"\n",
                Switchboard.Options.defaults().withPluginsDir(dir));
        assertTrue(errors.get(0).contains("zzz.jar: plugins: cannot load plugin"), errors.toString());
    }
}
