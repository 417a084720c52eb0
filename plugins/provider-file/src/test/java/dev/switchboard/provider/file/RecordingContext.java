package dev.switchboard.provider.file;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.config.ConfigProblem;
import dev.switchboard.spi.config.ProviderContext;
import dev.switchboard.spi.config.ProviderSettings;
import dev.switchboard.spi.model.Configuration;
import dev.switchboard.spi.model.Origin;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** A {@link ProviderContext} that records every call, for tests; thread-safe like the real one. */
final class RecordingContext implements ProviderContext {

    static final Duration DEADLINE = Duration.ofSeconds(10);

    final BlockingQueue<Configuration> published = new LinkedBlockingQueue<>();
    final BlockingQueue<ConfigException> rejected = new LinkedBlockingQueue<>();
    final List<ConfigProblem> warnings = new CopyOnWriteArrayList<>();
    private final ProviderSettings settings;

    RecordingContext(ProviderSettings settings) {
        this.settings = settings;
    }

    /** The {@code [file]} section of {@code mainConfigFile} with {@code values}. */
    static RecordingContext fileSection(Path mainConfigFile, Map<String, Object> values) {
        return new RecordingContext(new ProviderSettings("file", values,
                new Origin(mainConfigFile == null ? "<test>" : mainConfigFile.toString(), 1), mainConfigFile,
                Map.of()));
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

    /** The next rejection, waiting up to the deadline. */
    ConfigException nextRejection() throws InterruptedException {
        ConfigException e = rejected.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(e, "no rejection within " + DEADLINE + "; published: " + published);
        return e;
    }

    /** The one snapshot a check published; fails listing the problems if it was rejected. */
    Configuration onlySnapshot() {
        if (!rejected.isEmpty()) {
            fail("rejected:\n" + rejected.peek().getMessage());
        }
        Configuration c = published.poll();
        assertNotNull(c, "nothing published");
        return c;
    }

    /** The one rejection of a check; fails if a snapshot was published. */
    List<ConfigProblem> onlyRejection() {
        if (!published.isEmpty()) {
            fail("published instead of rejected: " + published.peek());
        }
        ConfigException e = rejected.poll();
        assertNotNull(e, "nothing rejected");
        return e.problems();
    }

    /** Warnings printed as {@code file:line: key: message}, one per line. */
    String warningText() {
        return warnings.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n"));
    }
}
