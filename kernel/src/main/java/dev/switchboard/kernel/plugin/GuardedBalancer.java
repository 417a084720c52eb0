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
 * {@code pick} and {@code record} are timed by the extension's {@link PluginCallGuard}: while it is quarantined,
 * {@code pick} answers {@link #FAILED} without calling the plugin.
 */
public final class GuardedBalancer implements Balancer {
    /** Returned by {@link #pick} when the plugin threw; compared by identity. */
    public static final Server FAILED = new Server("<balancer failed>", URI.create("failed:/"), 0, Origin.UNKNOWN);

    private final Balancer delegate;
    private final ExtensionRef ref;
    private final PluginFailureLog failures;
    private final PluginCallGuard guard;

    GuardedBalancer(Balancer delegate, ExtensionRef ref, PluginFailureLog failures, PluginCallGuard guard) {
        this.delegate = delegate;
        this.ref = ref;
        this.failures = failures;
        this.guard = guard;
    }

    /** Builds a balancer with {@code factory}, guarded; any failure becomes a {@link ConfigException}. */
    public static GuardedBalancer create(BalancerFactory factory, ExtensionRef ref, PluginFailureLog failures,
                                         BalancerContext context) throws ConfigException {
        return create(factory, ref, failures, new PluginCallGuard(ref, PluginGuardSettings.DEFAULTS), context);
    }

    /** Builds a balancer with {@code factory} behind {@code guard} (its extension's slow-call quarantine). */
    public static GuardedBalancer create(BalancerFactory factory, ExtensionRef ref, PluginFailureLog failures,
                                         PluginCallGuard guard, BalancerContext context) throws ConfigException {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(ref.classLoader());
        try {
            Balancer b = factory.create(context);
            if (b == null) {
                throw new ConfigException(ref + " returned no balancer");
            }
            return new GuardedBalancer(b, ref, failures, guard);
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

    /** The slow-call quarantine of its extension. */
    public PluginCallGuard guard() {
        return guard;
    }

    /** The plugin's pick, timed; {@link #FAILED} (502) if it throws or while its extension is quarantined. */
    @Override
    public Server pick(RequestView request) {
        long start = guard.now();
        if (!guard.admits(start)) {
            return FAILED;
        }
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(ref.classLoader());
        PluginCallSite site = guard.enter(start);
        try {
            return delegate.pick(request);
        } catch (Throwable e) {
            failures.failed(ref, "picking a server (answered 502)", e);
            return FAILED;
        } finally {
            guard.exit(site, start);
            t.setContextClassLoader(previous);
        }
    }

    /** The plugin's record, timed; skipped while its extension is quarantined. */
    @Override
    public void record(Server server, int status, long latencyNanos) {
        long start = guard.now();
        if (!guard.admits(start)) {
            return;
        }
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(ref.classLoader());
        PluginCallSite site = guard.enter(start);
        try {
            delegate.record(server, status, latencyNanos);
        } catch (Throwable e) {
            failures.failed(ref, "recording an outcome", e);
        } finally {
            guard.exit(site, start);
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
