package dev.switchboard.testkit;

import dev.switchboard.spi.config.ConfigProblem;
import java.util.List;

/** The kit's proxy refused its configuration; the message lists every problem, then the TOML it was given. */
public final class KitStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<ConfigProblem> problems;

    KitStartException(String toml, List<ConfigProblem> problems, Throwable cause) {
        super(message(toml, problems), cause);
        this.problems = List.copyOf(problems);
    }

    /** Every problem reported (file, line, key, why). */
    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String message(String toml, List<ConfigProblem> problems) {
        StringBuilder b = new StringBuilder("switchboard refused the test configuration:\n");
        if (problems.isEmpty()) {
            b.append("  (no valid configuration was applied, and no problem was reported)\n");
        }
        problems.forEach(p -> b.append("  ").append(p).append('\n'));
        return b.append("--- configuration ---\n").append(toml).toString();
    }
}
