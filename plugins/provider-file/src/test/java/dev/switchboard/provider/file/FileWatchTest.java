package dev.switchboard.provider.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.model.Configuration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code watch = true}: edits publish a new snapshot, invalid edits are rejected and publish nothing, and editors'
 * rename-replace saves are noticed. Every wait is a queue poll with a deadline.
 */
class FileWatchTest {

    @TempDir
    Path dir;

    private final FileProvider provider = new FileProvider();

    @AfterEach
    void stop() {
        provider.close();
    }

    private static String rules(String backendUrl) {
        return """
                [backends.b.servers.s]
                url = "%s"
                [frontends.f]
                backend = "b"
                [frontends.f.routes.r]
                rule = "Path:/"
                """.formatted(backendUrl);
    }

    private static String url(Configuration c) {
        return c.backends().get("b").servers().get("s").url().toString();
    }

    private RecordingContext start(Map<String, Object> settings) throws Exception {
        Path main = dir.resolve("traefik.toml");
        Files.writeString(main, "[file]\n");
        RecordingContext context = RecordingContext.fileSection(main, settings);
        provider.start(context);
        return context;
    }

    @Test
    void startPublishesTheFirstSnapshotBeforeReturning() throws Exception {
        Files.writeString(dir.resolve("rules.toml"), rules("http://10.0.0.1:80"));
        RecordingContext context = start(Map.of("filename", "rules.toml"));
        assertNotNull(context.published.poll(), "published during start(), not later");
    }

    @Test
    void invalidFileAtStartIsRejectedAndItsFixIsPublished() throws Exception {
        Files.writeString(dir.resolve("rules.toml"), "[backends.b.servers.s]\nurl = \"nowhere\"\n");
        RecordingContext context = start(Map.of("filename", "rules.toml"));
        assertNotNull(context.rejected.poll(), "rejected during start()");
        assertTrue(context.published.isEmpty());

        Files.writeString(dir.resolve("rules.toml"), rules("http://10.0.0.2:80"));
        assertEquals("http://10.0.0.2:80", url(context.nextSnapshot()));
    }

    @Test
    void editedFilePublishesANewSnapshot() throws Exception {
        Files.writeString(dir.resolve("rules.toml"), rules("http://10.0.0.1:80"));
        RecordingContext context = start(Map.of("filename", "rules.toml"));
        assertEquals("http://10.0.0.1:80", url(context.nextSnapshot()));

        Files.writeString(dir.resolve("rules.toml"), rules("http://10.0.0.2:80"));
        assertEquals("http://10.0.0.2:80", url(context.nextSnapshot()));
    }

    @Test
    void invalidEditIsRejectedWithItsProblemsAndPublishesNothingUntilFixed() throws Exception {
        Files.writeString(dir.resolve("rules.toml"), rules("http://10.0.0.1:80"));
        RecordingContext context = start(Map.of("filename", "rules.toml"));
        context.nextSnapshot();

        Files.writeString(dir.resolve("rules.toml"), rules("10.0.0.2") + "[backends.x.servers.y]\nweight = -3\n");
        ConfigException rejection = context.nextRejection();
        assertEquals(List.of(2, 7, 8), rejection.problems().stream().map(p -> p.origin().line()).toList(),
                rejection.getMessage());
        assertTrue(context.published.isEmpty(), "no snapshot for an invalid source");

        Files.writeString(dir.resolve("rules.toml"), rules("http://10.0.0.3:80"));
        assertEquals("http://10.0.0.3:80", url(context.nextSnapshot()));
    }

    @Test
    void fileReplacedByRenameAsEditorsSaveIsNoticed() throws Exception {
        Files.writeString(dir.resolve("rules.toml"), rules("http://10.0.0.1:80"));
        RecordingContext context = start(Map.of("filename", "rules.toml"));
        context.nextSnapshot();

        Path temporary = dir.resolve(".rules.toml.swp");
        Files.writeString(temporary, rules("http://10.0.0.4:80"));
        Files.move(temporary, dir.resolve("rules.toml"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        assertEquals("http://10.0.0.4:80", url(context.nextSnapshot()));

        // and the replaced file keeps being followed
        Files.writeString(dir.resolve("rules.toml"), rules("http://10.0.0.5:80"));
        assertEquals("http://10.0.0.5:80", url(context.nextSnapshot()));
    }

    @Test
    void kubernetesStyleSwapOfTheLinkedDataDirectoryIsNoticed() throws Exception {
        // A ConfigMap volume: rules.toml -> ..data/rules.toml, ..data -> ..2026_v1; an update writes ..2026_v2 and
        // renames a new ..data link over the old one. No event names rules.toml itself.
        Path v1 = Files.createDirectories(dir.resolve("..2026_v1"));
        Files.writeString(v1.resolve("rules.toml"), rules("http://10.0.0.1:80"));
        Files.createSymbolicLink(dir.resolve("..data"), Path.of("..2026_v1"));
        Files.createSymbolicLink(dir.resolve("rules.toml"), Path.of("..data/rules.toml"));
        RecordingContext context = start(Map.of("filename", "rules.toml"));
        assertEquals("http://10.0.0.1:80", url(context.nextSnapshot()));

        Path v2 = Files.createDirectories(dir.resolve("..2026_v2"));
        Files.writeString(v2.resolve("rules.toml"), rules("http://10.0.0.9:80"));
        Files.createSymbolicLink(dir.resolve("..data_tmp"), Path.of("..2026_v2"));
        Files.move(dir.resolve("..data_tmp"), dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
        assertEquals("http://10.0.0.9:80", url(context.nextSnapshot()));
    }

    @Test
    void deletedFileIsRejectedAndItsReturnIsPublished() throws Exception {
        Files.writeString(dir.resolve("rules.toml"), rules("http://10.0.0.1:80"));
        RecordingContext context = start(Map.of("filename", "rules.toml"));
        context.nextSnapshot();

        Files.delete(dir.resolve("rules.toml"));
        assertTrue(context.nextRejection().getMessage().contains("not found"));
        Files.writeString(dir.resolve("rules.toml"), rules("http://10.0.0.6:80"));
        assertEquals("http://10.0.0.6:80", url(context.nextSnapshot()));
    }

    @Test
    void fileAddedToAWatchedSubdirectoryIsPublished() throws Exception {
        Path confD = Files.createDirectories(dir.resolve("conf.d"));
        Files.writeString(confD.resolve("a.toml"), rules("http://10.0.0.1:80"));
        RecordingContext context = start(Map.of("directory", "conf.d"));
        assertEquals(List.of("b"), List.copyOf(context.nextSnapshot().backends().keySet()));

        Path sub = Files.createDirectories(confD.resolve("more"));
        // the new subdirectory is registered once its creation is seen; wait for that reload first
        context.nextSnapshot();
        Files.writeString(sub.resolve("c.toml"), "[backends.c.servers.s]\nurl = \"http://10.0.0.7:80\"\n");
        Configuration c = context.nextSnapshot();
        assertEquals(List.of("b", "c"), List.copyOf(c.backends().keySet()));
    }

    @Test
    void otherFilesOfTheFolderAreNotReportedAsChanges() throws Exception {
        Path rules = dir.resolve("rules.toml");
        Files.writeString(rules, rules("http://10.0.0.1:80"));
        BlockingQueue<Set<Path>> reported = new LinkedBlockingQueue<>();
        try (SourceWatcher watcher = new SourceWatcher(rules, false, reported::add)) {
            watcher.start();
            Files.writeString(dir.resolve("unrelated.toml"), "x = 1\n");
            Files.writeString(dir.resolve("rules.toml.bak"), "x = 1\n");
            Files.writeString(rules, rules("http://10.0.0.8:80"));
            // The other files were written first: had they been reported, the first report would hold them.
            Set<Path> changes = reported.poll(RecordingContext.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(changes, "the edit of rules.toml was not reported");
            assertEquals(Set.of(rules.toAbsolutePath()), changes, "only the watched file is reported");
        }
    }

    @Test
    void closeStopsTheWatcherThread() throws Exception {
        Files.writeString(dir.resolve("rules.toml"), rules("http://10.0.0.1:80"));
        start(Map.of("filename", "rules.toml")).nextSnapshot();
        assertTrue(watcherThreads() > 0);
        provider.close();
        assertEquals(0, watcherThreads(), "close() joins the watcher thread");
    }

    @Test
    void checkReadsOnceWithoutStartingAThread() throws Exception {
        Files.writeString(dir.resolve("rules.toml"), rules("http://10.0.0.1:80"));
        RecordingContext context = RecordingContext.fileSection(dir.resolve("traefik.toml"),
                Map.of("filename", "rules.toml"));
        provider.check(context);
        context.onlySnapshot();
        assertEquals(0, watcherThreads());
    }

    @Test
    void watchFalseReadsOnceWithoutAThread() throws Exception {
        Files.writeString(dir.resolve("rules.toml"), rules("http://10.0.0.1:80"));
        RecordingContext context = start(Map.of("filename", "rules.toml", "watch", false));
        context.nextSnapshot();
        assertFalse(watcherThreads() > 0);
    }

    private static long watcherThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("file-provider-watch") && t.isAlive()).count();
    }
}
