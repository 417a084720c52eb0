package dev.switchboard.kernel;

import java.nio.file.Path;

/**
 * The distribution folder, from the {@code switchboard.home} system property the launcher sets. Holds no logger on
 * purpose: {@link Main} consults it before the log level is configured.
 */
public final class SwitchboardHome {
    private SwitchboardHome() {
    }

    /** {@code switchboard.home}, or null. */
    public static Path get() {
        String h = System.getProperty("switchboard.home");
        return h == null || h.isBlank() ? null : Path.of(h);
    }
}
