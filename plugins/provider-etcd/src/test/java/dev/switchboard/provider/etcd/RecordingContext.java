package dev.switchboard.provider.etcd;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.config.ConfigProblem;
import dev.switchboard.spi.config.ProviderContext;
import dev.switchboard.spi.config.ProviderSettings;
import dev.switchboard.spi.model.Configuration;
import dev.switchboard.spi.model.Origin;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** A {@link ProviderContext} that records every call, for tests; thread-safe like the kernel's. */
final class RecordingContext implements ProviderContext {

    static final Duration DEADLINE = Duration.ofSeconds(15);

    final BlockingQueue<Configuration> published = new LinkedBlockingQueue<>();
    final BlockingQueue<ConfigException> rejected = new LinkedBlockingQueue<>();
    final List<ConfigProblem> warnings = new CopyOnWriteArrayList<>();
    private final ProviderSettings settings;

    RecordingContext(ProviderSettings settings) {
        this.settings = settings;
    }

    /** An {@code [etcd]} section with {@code values}. */
    static RecordingContext etcdSection(Map<String, Object> values) {
        return new RecordingContext(new ProviderSettings("etcd", values, new Origin("<test>", 1), null, Map.of()));
    }

    @Override
    public ProviderSettings settings() {
        return settings;
    }

    @Override
    public void publish(Configuration snapshot) {
        published.add(snapshot);
    }

    @Override
    public void reject(ConfigException problems) {
        rejected.add(problems);
    }

    @Override
    public void warn(ConfigProblem warning) {
        warnings.add(warning);
    }

    /** The next published snapshot, waiting up to the deadline. */
    Configuration nextSnapshot() throws InterruptedException {
        Configuration c = published.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        if (c == null) {
            fail("no snapshot published within " + DEADLINE + "; rejected: " + rejected + "; warnings: "
                    + warnings);
        }
        return c;
    }

    /** Published snapshots are taken in order until one satisfies {@code wanted}, within the deadline. */
    Configuration snapshotWhere(Predicate<Configuration> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Configuration c = published.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (c == null) {
                fail("no matching snapshot within " + DEADLINE + "; rejected: " + rejected);
            }
            if (wanted.test(c)) {
                return c;
            }
        }
    }

    /** The next rejection, waiting up to the deadline. */
    ConfigException nextRejection() throws InterruptedException {
        ConfigException e = rejected.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(e, "no rejection within " + DEADLINE + "; published: " + published);
        return e;
    }

    String warningText() {
        return warnings.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n"));
    }
}
