package dev.switchboard.provider.file;

import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.config.ConfigProblem;
import dev.switchboard.spi.config.ConfigProvider;
import dev.switchboard.spi.config.ProviderContext;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.pf4j.Extension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code [file]} provider: Traefik v1's {@code [frontends]} and {@code [backends]} read from a TOML file, a
 * directory of them, or the main configuration file, and followed for changes when {@code watch = true}.
 *
 * <p>Each load is all or nothing: every problem of every file is collected, and a source with any error is
 * {@linkplain ProviderContext#reject rejected} as a whole (the kernel keeps serving the last good snapshot);
 * otherwise the complete snapshot is {@linkplain ProviderContext#publish published}. Warnings (keys accepted but
 * not built yet, unknown keys, deprecated keys) are passed to {@link ProviderContext#warn} on every load; the
 * kernel logs each distinct one once.
 *
 * <p>Threads: {@link #start} and {@link #check} run on the caller's thread; reloads run on one daemon watcher
 * thread per provider instance, stopped by {@link #close}.
 */
@Extension
public final class FileProvider implements ConfigProvider {

    private static final Logger LOG = LoggerFactory.getLogger(FileProvider.class);

    private SourceWatcher watcher;

    @Override
    public String name() {
        return "file";
    }

    @Override
    public synchronized void start(ProviderContext context) throws ConfigException {
        if (watcher != null) {
            throw new IllegalStateException("the file provider is already started");
        }
        FileProviderSettings settings = settings(context);
        ConfigurationLoader loader = new ConfigurationLoader(settings);
        LOG.info("file provider: reading {} ({}, {})", settings.path(), describe(settings.mode()),
                settings.watch() ? "watching for changes" : "not watching");
        if (settings.watch()) {
            // Watch before the first read, so that an edit made between the two is not lost.
            try {
                watcher = new SourceWatcher(settings.path(), settings.mode() == FileProviderSettings.Mode.DIRECTORY,
                        changed -> {
                            LOG.info("file provider: {} changed, reloading", describeChanges(changed));
                            loadAndReport(loader, context);
                        });
            } catch (IOException e) {
                java.nio.file.Path watched = settings.mode() == FileProviderSettings.Mode.DIRECTORY
                        ? settings.path() : settings.path().toAbsolutePath().getParent();
                throw new ConfigException(new ConfigProblem(context.settings().origin(),
                        context.settings().section(), "cannot watch " + watched + ": "
                        + (Files.isDirectory(watched) ? e.toString() : "no such directory")));
            }
        }
        try {
            loadAndReport(loader, context);
        } catch (RuntimeException | Error e) {
            close(); // do not leave a registered watch service behind a failed start
            throw e;
        }
        if (watcher != null) {
            watcher.start();
        }
    }

    @Override
    public void check(ProviderContext context) throws ConfigException {
        loadAndReport(new ConfigurationLoader(settings(context)), context);
    }

    @Override
    public synchronized void close() {
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
    }

    private static FileProviderSettings settings(ProviderContext context) throws ConfigException {
        List<ConfigProblem> warnings = new ArrayList<>();
        FileProviderSettings settings = FileProviderSettings.from(context.settings(), warnings);
        warnings.forEach(context::warn);
        return settings;
    }

    private static void loadAndReport(ConfigurationLoader loader, ProviderContext context) {
        ConfigurationLoader.Result result = loader.load();
        result.warnings().forEach(context::warn);
        if (result.ok()) {
            LOG.debug("file provider: publishing {} frontends and {} backends from {} file(s)",
                    result.configuration().frontends().size(), result.configuration().backends().size(),
                    result.files().size());
            context.publish(result.configuration());
        } else {
            context.reject(new ConfigException(result.errors(), result.configuration()));
        }
    }

    private static String describe(FileProviderSettings.Mode mode) {
        return switch (mode) {
            case MAIN_FILE -> "[frontends] and [backends] of the main configuration file";
            case FILE -> "one file";
            case DIRECTORY -> "every *.toml in the directory";
        };
    }

    private static String describeChanges(Set<java.nio.file.Path> changed) {
        return changed.size() == 1 ? changed.iterator().next().toString() : changed.toString();
    }
}
