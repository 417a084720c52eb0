package dev.switchboard.spi.config;

import org.pf4j.ExtensionPoint;

/**
 * A source of dynamic configuration ({@code file}, later {@code rest}, {@code etcd}). {@link #name()} is the name of
 * its section in the static configuration; the kernel starts the provider when that section is present.
 *
 * <p><b>Threads.</b> {@link #start} is called once, off the event loops, and should publish the first snapshot
 * before returning when it can do so quickly (so the proxy starts with a configuration); watching for changes
 * happens on the provider's own daemon threads. {@link #close} stops them. A provider never blocks a caller of the
 * kernel and never touches an event loop.
 *
 * <p><b>Errors.</b> An invalid source is reported through {@link ProviderContext#reject}; an exception from
 * {@link #start} for invalid settings is a start-up error naming the provider.
 */
public interface ConfigProvider extends ExtensionPoint, AutoCloseable {

    /** The settings section name, for example {@code file}. */
    String name();

    /** Starts providing: reads the source, publishes, and watches if the settings ask for it. */
    void start(ProviderContext context) throws ConfigException;

    /**
     * Reads the source once and publishes (or rejects, or warns) through {@code context}, without watching and
     * without starting threads; used by {@code switchboard check}.
     */
    void check(ProviderContext context) throws ConfigException;

    /** Stops watching and releases resources. Idempotent. */
    @Override
    void close();
}
