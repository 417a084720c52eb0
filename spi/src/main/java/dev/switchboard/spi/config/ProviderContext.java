package dev.switchboard.spi.config;

import dev.switchboard.spi.model.Configuration;

/**
 * How a {@link ConfigProvider} talks to the kernel. Thread-safe; any provider thread may call it.
 */
public interface ProviderContext {

    /** The provider's settings section. */
    ProviderSettings settings();

    /**
     * Publishes a complete snapshot of this provider's configuration, replacing its previous one. The kernel
     * validates and compiles it off the event loops; identical snapshots are dropped. If it fails validation the
     * problems are logged and the last good configuration keeps serving.
     */
    void publish(Configuration snapshot);

    /**
     * Reports a source that cannot be read into a snapshot (syntax errors, invalid values): every problem is logged
     * and the last good configuration keeps serving.
     */
    void reject(ConfigException problems);

    /** Reports a key that is accepted but whose behaviour is not built yet; logged once per distinct problem. */
    void warn(ConfigProblem warning);
}
