package dev.switchboard.spi.config;

import dev.switchboard.spi.model.Configuration;
import java.util.List;

/**
 * A configuration that cannot be used, with every problem found (not the first only). Whoever receives it keeps the
 * last good configuration.
 *
 * <p>A provider may attach the {@linkplain #partial() part that did read cleanly} (elements with invalid values left
 * out), so that {@code switchboard check} can also report what the kernel validates (rules, balancing methods, entry
 * points) in the same run: a user fixes every error at once instead of layer by layer. A partial configuration is
 * never served.
 */
public class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<ConfigProblem> problems;
    private final transient Configuration partial;

    public ConfigException(List<ConfigProblem> problems) {
        this(problems, null);
    }

    /**
     * Problems plus the part of the source that read cleanly (may be null), for validation only.
     *
     * @since SPI 1.0
     */
    public ConfigException(List<ConfigProblem> problems, Configuration partial) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
        this.partial = partial;
    }

    public ConfigException(ConfigProblem problem) {
        this(List.of(problem));
    }

    /** A problem without location, for factories that know only the value (the kernel adds where). */
    public ConfigException(String message) {
        this(new ConfigProblem(dev.switchboard.spi.model.Origin.UNKNOWN, "", message));
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    /** The part of the source that read cleanly, for validation only (never served), or null. */
    public Configuration partial() {
        return partial;
    }

    private static String describe(List<ConfigProblem> problems) {
        StringBuilder sb = new StringBuilder();
        for (ConfigProblem p : problems) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append(p);
        }
        return sb.toString();
    }
}
