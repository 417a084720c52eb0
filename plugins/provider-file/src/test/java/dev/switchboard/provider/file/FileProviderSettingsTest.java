package dev.switchboard.provider.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.config.ConfigProblem;
import dev.switchboard.spi.config.ProviderSettings;
import dev.switchboard.spi.model.Origin;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The [file] section: where to read from, whether to watch, and what is wrong with it. */
class FileProviderSettingsTest {

    private static final Path MAIN = Path.of("/etc/switchboard/traefik.toml");

    private static FileProviderSettings read(Path main, Map<String, Object> values, List<ConfigProblem> warnings)
            throws ConfigException {
        return FileProviderSettings.from(new ProviderSettings("file", values, new Origin(String.valueOf(main), 4),
                main, Map.of()), warnings);
    }

    @Test
    void relativeFilenameIsResolvedAgainstTheMainFileFolderAndWatchDefaultsToTrue() throws Exception {
        FileProviderSettings s = read(MAIN, Map.of("filename", "rules/../rules.toml"), new ArrayList<>());
        assertEquals(FileProviderSettings.Mode.FILE, s.mode());
        assertEquals(Path.of("/etc/switchboard/rules.toml"), s.path());
        assertTrue(s.watch());
    }

    @Test
    void absolutePathsAreKept() throws Exception {
        assertEquals(Path.of("/srv/conf.d"), read(MAIN, Map.of("directory", "/srv/conf.d"), new ArrayList<>()).path());
    }

    @Test
    void neitherFilenameNorDirectoryReadsTheMainFile() throws Exception {
        FileProviderSettings s = read(MAIN, Map.of("watch", false), new ArrayList<>());
        assertEquals(FileProviderSettings.Mode.MAIN_FILE, s.mode());
        assertEquals(MAIN, s.path());
        assertFalse(s.watch());
    }

    @Test
    void directoryWinsOverFilenameWithAWarningAsInTraefikV1() throws Exception {
        List<ConfigProblem> warnings = new ArrayList<>();
        FileProviderSettings s = read(MAIN, Map.of("filename", "a.toml", "directory", "conf.d"), warnings);
        assertEquals(FileProviderSettings.Mode.DIRECTORY, s.mode());
        assertEquals(1, warnings.size());
        assertEquals("file.filename", warnings.get(0).key());
    }

    @Test
    void settingKeysMatchIgnoringCase() throws Exception {
        FileProviderSettings s = read(MAIN, Map.of("Filename", "x.toml", "Watch", false), new ArrayList<>());
        assertEquals(Path.of("/etc/switchboard/x.toml"), s.path());
        assertFalse(s.watch());
    }

    @Test
    void wrongTypesAreAllReportedAsOneError() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> read(MAIN, Map.of("filename", 3L, "watch", "yes"), new ArrayList<>()));
        assertEquals(2, e.problems().size(), e.getMessage());
    }

    @Test
    void nothingToReadWithoutAMainFileIsAnError() {
        ConfigException e = assertThrows(ConfigException.class, () -> read(null, Map.of(), new ArrayList<>()));
        assertTrue(e.getMessage().contains("neither filename nor directory"), e.getMessage());
    }
}
