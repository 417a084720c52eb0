package dev.switchboard.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of this plugin contract.
 *
 * <p>Plugins declare the range they were built for in their manifest ({@code Plugin-Requires: >=1.0.0 & <2.0.0},
 * written by the plugins' parent POM from {@code switchboard.spi.version}); the kernel runs PF4J with
 * {@link #CURRENT} as its system version and refuses a plugin whose range excludes it, naming both versions.
 *
 * <p>Rules: a change that keeps every existing plugin compiling and running raises the minor version; anything else
 * raises the major version and is a deliberate, announced act.
 */
public final class SpiVersion {
    /** The SPI version of this build, for example {@code 1.0.0}. */
    public static final String CURRENT = load();

    private SpiVersion() {
    }

    private static String load() {
        try (InputStream in = SpiVersion.class.getResourceAsStream("spi.properties")) {
            if (in == null) {
                throw new IllegalStateException("spi.properties missing from the spi jar");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version").trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
