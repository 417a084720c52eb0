package dev.switchboard.provider.file;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows changes to the provider's source on one daemon thread and calls back after a quiet period.
 *
 * <p>A single file is watched through its <em>parent directory</em>, with events filtered by name, as Traefik v1
 * did: editors that save by writing a temporary file and renaming it over the original replace the inode, which a
 * watch on the file itself would lose. In directory mode every subdirectory is watched too (Traefik v1 watched only
 * the top one, so edits in subdirectories went unnoticed), and new subdirectories are picked up as they appear.
 *
 * <p>Events are debounced: the callback runs once {@link #QUIET_MILLIS} pass without a relevant event (an editor's
 * save is a burst of create/modify/rename events), and at the latest {@link #MAX_DELAY_MILLIS} after the first
 * event of a burst, so that a file written continuously still gets reloaded.
 */
final class SourceWatcher implements AutoCloseable {

    static final long QUIET_MILLIS = 150;
    static final long MAX_DELAY_MILLIS = 2_000;
    private static final Logger LOG = LoggerFactory.getLogger(SourceWatcher.class);

    private final Path target;
    private final boolean directoryMode;
    private final Consumer<Set<Path>> onChange;
    private final WatchService service;
    private final Thread thread;
    private volatile boolean closed;
    private Path lastRealTarget; // single-file mode: where the target's links lead; watcher thread only

    /**
     * @param target        the file, or the directory in directory mode
     * @param directoryMode watch the whole tree under {@code target} rather than one file
     * @param onChange      called on the watcher thread with the changed paths; exceptions are logged
     * @throws IOException if the directory to watch cannot be watched (for example it does not exist)
     */
    SourceWatcher(Path target, boolean directoryMode, Consumer<Set<Path>> onChange) throws IOException {
        this.target = target.toAbsolutePath().normalize();
        this.directoryMode = directoryMode;
        this.onChange = onChange;
        this.service = FileSystems.getDefault().newWatchService();
        try {
            if (directoryMode) {
                registerTree(this.target);
            } else {
                register(this.target.getParent());
            }
        } catch (IOException e) {
            service.close();
            throw e;
        }
        this.lastRealTarget = directoryMode ? null : realTarget();
        this.thread = new Thread(this::run, "file-provider-watch " + this.target);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void register(Path dir) throws IOException {
        dir.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
    }

    private void registerTree(Path root) throws IOException {
        register(root);
        try (Stream<Path> dirs = Files.walk(root)) {
            for (Path d : (Iterable<Path>) dirs.filter(Files::isDirectory)::iterator) {
                if (!d.equals(root) && !d.getFileName().toString().startsWith(".")) {
                    register(d);
                }
            }
        }
    }

    private void run() {
        try {
            while (!closed) {
                Set<Path> changed = new LinkedHashSet<>();
                collect(service.take(), changed);
                long firstEvent = System.nanoTime();
                while (!closed) {
                    long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - firstEvent);
                    long budget = Math.min(QUIET_MILLIS, MAX_DELAY_MILLIS - waited);
                    WatchKey next = budget <= 0 ? null : service.poll(budget, TimeUnit.MILLISECONDS);
                    if (next == null) {
                        break;
                    }
                    collect(next, changed);
                }
                if (closed || changed.isEmpty()) {
                    continue;
                }
                if (directoryMode) {
                    try {
                        registerTree(target); // new subdirectories; registering again is harmless
                    } catch (IOException e) {
                        LOG.warn("file provider: cannot watch the subdirectories of {}: {}", target, e.toString());
                    }
                }
                try {
                    onChange.accept(changed);
                } catch (RuntimeException | Error e) {
                    LOG.error("file provider: reloading {} failed", target, e);
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException stop) {
            // closed
        }
    }

    /** Adds the relevant paths of {@code key}'s events to {@code changed}, and re-arms the key. */
    private void collect(WatchKey key, Set<Path> changed) {
        Path dir = (Path) key.watchable();
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                changed.add(target); // events were lost: reload to be sure
                continue;
            }
            Path name = (Path) event.context();
            Path full = dir.resolve(name);
            if (directoryMode ? relevantInTree(full) : full.equals(target)) {
                changed.add(full);
            }
        }
        if (!directoryMode) {
            // A target that is a symbolic link can change without an event for its own name: Kubernetes mounts a
            // ConfigMap as rules.toml -> ..data/rules.toml and updates it by swapping the ..data link.
            Path real = realTarget();
            if (!java.util.Objects.equals(real, lastRealTarget)) {
                lastRealTarget = real;
                changed.add(target);
            }
        }
        if (!key.reset() && dir.equals(directoryMode ? target : target.getParent()) && !closed) {
            LOG.warn("file provider: {} is gone; changes are no longer followed", dir);
        }
    }

    private static boolean relevantInTree(Path path) {
        String name = path.getFileName().toString();
        if (name.startsWith("..")) {
            return true; // Kubernetes' atomic writer swaps ..data to update the files linked into it
        }
        if (name.startsWith(".")) {
            return false;
        }
        return ConfigurationLoader.isConfigFileName(name) || Files.isDirectory(path) || !name.contains(".");
    }

    /** The target with every symbolic link resolved, or null if it does not exist. */
    private Path realTarget() {
        try {
            return target.toRealPath();
        } catch (IOException gone) {
            return null;
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            service.close();
        } catch (IOException e) {
            LOG.debug("file provider: closing the watch service of {}", target, e);
        }
        if (thread.isAlive() && Thread.currentThread() != thread) {
            thread.interrupt();
            try {
                thread.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
