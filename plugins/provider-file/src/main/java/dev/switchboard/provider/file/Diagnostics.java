package dev.switchboard.provider.file;

import dev.switchboard.spi.config.ConfigProblem;
import dev.switchboard.spi.model.Origin;
import java.util.ArrayList;
import java.util.List;

/** The errors and warnings of one load, every one of them (a load never stops at the first). */
final class Diagnostics {
    private final List<ConfigProblem> errors = new ArrayList<>();
    private final List<ConfigProblem> warnings = new ArrayList<>();
    private final java.util.Set<String> printedWarnings = new java.util.HashSet<>();

    void error(Origin origin, String key, String message) {
        errors.add(new ConfigProblem(origin, key, message));
    }

    void warn(Origin origin, String key, String message) {
        ConfigProblem w = new ConfigProblem(origin, key, message);
        // ConfigProblem equality ignores the line (Origin compares equal), so compare the printed form: the same
        // key written on two lines is two warnings, the same line reported twice is one.
        if (printedWarnings.add(w.toString())) {
            warnings.add(w);
        }
    }

    List<ConfigProblem> errors() {
        return List.copyOf(errors);
    }

    List<ConfigProblem> warnings() {
        return List.copyOf(warnings);
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }
}
