package dev.switchboard.provider.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.config.ConfigProblem;
import dev.switchboard.spi.model.Configuration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code directory = "..."}: every *.toml of the tree is one configuration; a name may be defined once. */
class DirectoryModeTest {

    @TempDir
    Path dir;

    private RecordingContext check(Path confD) throws Exception {
        Path main = dir.resolve("traefik.toml");
        Files.writeString(main, "[file]\ndirectory = \"conf.d\"\n");
        RecordingContext context = RecordingContext.fileSection(main, Map.of("directory", "conf.d"));
        new FileProvider().check(context);
        return context;
    }

    @Test
    void filesOfTheDirectoryTreeAreMergedAndMayReferToEachOther() throws Exception {
        Path confD = Files.createDirectories(dir.resolve("conf.d"));
        Files.writeString(confD.resolve("10-frontends.toml"), """
                [frontends.api]
                backend = "api"
                [frontends.api.routes.r]
                rule = "Host:api.example.com"
                """);
        Files.writeString(confD.resolve("20-backends.toml"), """
                [backends.api.servers.s1]
                url = "http://10.0.0.1:8080"
                """);
        Path sub = Files.createDirectories(confD.resolve("team-b"));
        Files.writeString(sub.resolve("web.toml"), """
                [backends.web.servers.s1]
                url = "http://10.0.0.2:8080"
                [frontends.web]
                backend = "web"
                [frontends.web.routes.r]
                rule = "Host:web.example.com"
                """);
        Files.writeString(confD.resolve("README.md"), "not configuration");
        Files.writeString(confD.resolve(".#20-backends.toml"), "editor lock file = ");
        Configuration c = check(confD).onlySnapshot();
        assertEquals(List.of("api", "web"), List.copyOf(c.frontends().keySet()));
        assertEquals(List.of("api", "web"), List.copyOf(c.backends().keySet()));
        assertTrue(c.backends().get("web").origin().file().endsWith("web.toml"));
    }

    @Test
    void nameDefinedInTwoFilesIsAnErrorNamingBothFilesAndLines() throws Exception {
        Path confD = Files.createDirectories(dir.resolve("conf.d"));
        Files.writeString(confD.resolve("a.toml"), """
                # first
                [backends.api.servers.s1]
                url = "http://10.0.0.1:8080"
                """);
        Files.writeString(confD.resolve("b.toml"), """
                [frontends.f]
                backend = "api"
                [frontends.f.routes.r]
                rule = "Path:/"

                [backends.api.servers.s1]
                url = "http://10.0.0.9:8080"
                """);
        List<ConfigProblem> problems = check(confD).onlyRejection();
        assertEquals(1, problems.size(), problems.toString());
        ConfigProblem p = problems.get(0);
        assertTrue(p.origin().file().endsWith("b.toml"), p.toString());
        assertEquals(6, p.origin().line());
        assertEquals("backends.api", p.key());
        assertTrue(p.message().contains(confD.resolve("a.toml") + ":2"), p.message());
    }

    @Test
    void errorsOfSeveralFilesAreReportedTogetherInFileOrder() throws Exception {
        Path confD = Files.createDirectories(dir.resolve("conf.d"));
        Files.writeString(confD.resolve("a.toml"), "[backends.a.servers.s]\nurl = \"x\"\n");
        Files.writeString(confD.resolve("b.toml"), "[backends.b.servers.s]\n\nurl = 1\n");
        Files.writeString(confD.resolve("c.toml"), "[backends.c\n");
        List<ConfigProblem> problems = check(confD).onlyRejection();
        assertEquals(List.of("a.toml:2", "b.toml:3", "c.toml:1"), problems.stream()
                .map(p -> Path.of(p.origin().file()).getFileName() + ":" + p.origin().line()).toList());
    }

    @Test
    void templateFileWithoutTemplateActionsLoadsAsPlainToml() throws Exception {
        Path confD = Files.createDirectories(dir.resolve("conf.d"));
        Files.writeString(confD.resolve("a.tmpl"), "[backends.a.servers.s]\nurl = \"http://a:1\"\n");
        assertEquals(List.of("a"), List.copyOf(check(confD).onlySnapshot().backends().keySet()));
    }

    @Test
    void missingDirectoryCannotBeWatchedAndFailsTheStart() {
        Path main = dir.resolve("traefik.toml");
        RecordingContext context = RecordingContext.fileSection(main, Map.of("directory", "nowhere"));
        FileProvider provider = new FileProvider();
        ConfigException e = assertThrows(ConfigException.class, () -> provider.start(context));
        assertTrue(e.getMessage().contains("nowhere"), e.getMessage());
        provider.close();
    }

    @Test
    void missingDirectoryIsRejectedByCheck() throws Exception {
        RecordingContext context = check(dir.resolve("conf.d"));
        List<ConfigProblem> problems = context.onlyRejection();
        assertTrue(problems.get(0).message().contains("cannot list the directory"), problems.toString());
    }
}
