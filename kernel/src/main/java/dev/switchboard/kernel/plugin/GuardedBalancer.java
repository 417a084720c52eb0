package dev.switchboard.kernel.plugin;

import dev.switchboard.spi.balance.Balancer;
import dev.switchboard.spi.balance.BalancerContext;
import dev.switchboard.spi.balance.BalancerFactory;
import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.http.RequestView;
import dev.switchboard.spi.model.Origin;
import dev.switchboard.spi.model.Server;
import java.net.URI;

/**
 * A plugin's {@link Balancer} behind the kernel's guard: context class loader set, and a throwing {@link #pick}
 * answers {@link #FAILED} (the request gets 502), logged with the plugin id and method name (rate-limited).
 */
public final class GuardedBalancer implements Balancer {
    /** Returned by {@link #pick} when the plugin threw; compared by identity. */
    public static final Server FAILED = new Server("<balancer failed>", URI.create("failed:/"), 0, Origin.UNKNOWN);

    private final Balancer delegate;
    private final ExtensionRef ref;
    private final PluginFailureLog failures;

    GuardedBalancer(Balancer delegate, ExtensionRef ref, PluginFailureLog failures) {
        this.delegate = delegate;
        this.ref = ref;
        this.failures = failures;
    }

    /** Builds a balancer with {@code factory}, guarded; any failure becomes a {@link ConfigException}. */
    public static GuardedBalancer create(BalancerFactory factory, ExtensionRef ref, PluginFailureLog failures,
                                         BalancerContext context) throws ConfigException {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(ref.classLoader());
        try {
            Balancer b = factory.create(context);
            if (b == null) {
                throw new ConfigException(ref + " returned no balancer");
            }
            return new GuardedBalancer(b, ref, failures);
        } catch (ConfigException e) {
            throw e;
        } catch (Throwable e) {
            throw new ConfigException(ref + " failed: " + e);
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    /** The plugin's own balancer, handed back to its factory as the next generation's {@code previous}. */
    public Balancer unwrap() {
        return delegate;
    }

    public ExtensionRef ref() {
        return ref;
    }

    @Override
    public Server pick(RequestView request) {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(ref.classLoader());
        try {
            return delegate.pick(request);
        } catch (Throwable e) {
            failures.failed(ref, "picking a server (answered 502)", e);
            return FAILED;
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    @Override
    public void record(Server server, int status, long latencyNanos) {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(ref.classLoader());
        try {
            delegate.record(server, status, latencyNanos);
        } catch (Throwable e) {
            failures.failed(ref, "recording an outcome", e);
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    @Override
    public void setAvailable(Server server, boolean available) {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(ref.classLoader());
        try {
            delegate.setAvailable(server, available);
        } catch (Throwable e) {
            failures.failed(ref, "changing a server's availability", e);
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    @Override
    public int[] weights() {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(ref.classLoader());
        try {
            return delegate.weights();
        } catch (Throwable e) {
            failures.failed(ref, "reporting weights", e);
            return null;
        } finally {
            t.setContextClassLoader(previous);
        }
    }
}
