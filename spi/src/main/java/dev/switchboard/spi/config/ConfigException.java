package dev.switchboard.spi.config;

import java.util.List;

/**
 * A configuration that cannot be used, with every problem found (not the first only). Whoever receives it keeps the
 * last good configuration.
 */
public class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
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
