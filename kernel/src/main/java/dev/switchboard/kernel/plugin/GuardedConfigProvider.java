package dev.switchboard.kernel.plugin;

import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.config.ConfigProvider;
import dev.switchboard.spi.config.ProviderContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A plugin's {@link ConfigProvider} behind the kernel's guard: its calls run with the plugin's class loader as context
 * loader, and any failure other than {@link ConfigException} becomes one naming the plugin.
 */
public final class GuardedConfigProvider implements ConfigProvider {
    private static final Logger LOG = LoggerFactory.getLogger(GuardedConfigProvider.class);
    private final ConfigProvider delegate;
    private final ExtensionRef ref;

    public GuardedConfigProvider(ConfigProvider delegate, ExtensionRef ref) {
        this.delegate = delegate;
        this.ref = ref;
    }

    public ExtensionRef ref() {
        return ref;
    }

    @Override
    public String name() {
        return ref.name();
    }

    @Override
    public void start(ProviderContext context) throws ConfigException {
        run(() -> delegate.start(context), "starting");
    }

    @Override
    public void check(ProviderContext context) throws ConfigException {
        run(() -> delegate.check(context), "checking");
    }

    @Override
    public void close() {
        try {
            run(delegate::close, "closing");
        } catch (ConfigException e) {
            LOG.warn("{} failed while closing: {}", ref, e.getMessage());
        }
    }

    private interface Call {
        void run() throws ConfigException;
    }

    private void run(Call call, String what) throws ConfigException {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(ref.classLoader());
        try {
            call.run();
        } catch (ConfigException e) {
            throw e;
        } catch (Throwable e) {
            LOG.error("{} failed while {}", ref, what, e);
            throw new ConfigException(ref + " failed while " + what + ": " + e);
        } finally {
            t.setContextClassLoader(previous);
        }
    }
}
