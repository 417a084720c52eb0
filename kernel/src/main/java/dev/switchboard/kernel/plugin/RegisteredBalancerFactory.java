package dev.switchboard.kernel.plugin;

import dev.switchboard.spi.balance.BalancerContext;
import dev.switchboard.spi.balance.BalancerFactory;
import dev.switchboard.spi.config.ConfigException;

/** A plugin's {@link BalancerFactory} and who provides it; {@link #create} builds a {@link GuardedBalancer}. */
public final class RegisteredBalancerFactory {
    private final BalancerFactory factory;
    private final ExtensionRef ref;
    private final PluginFailureLog failures;
    private final PluginCallGuard guard;

    public RegisteredBalancerFactory(BalancerFactory factory, ExtensionRef ref, PluginFailureLog failures) {
        this(factory, ref, failures, new PluginCallGuard(ref, PluginGuardSettings.DEFAULTS));
    }

    public RegisteredBalancerFactory(BalancerFactory factory, ExtensionRef ref, PluginFailureLog failures,
                                     PluginCallGuard guard) {
        this.factory = factory;
        this.ref = ref;
        this.failures = failures;
        this.guard = guard;
    }

    /** The slow-call quarantine shared by every balancer it builds. */
    public PluginCallGuard guard() {
        return guard;
    }

    public ExtensionRef ref() {
        return ref;
    }

    /** The plugin's factory itself (to tell whether a previous balancer was made by it). */
    public BalancerFactory factory() {
        return factory;
    }

    public GuardedBalancer create(BalancerContext context) throws ConfigException {
        return GuardedBalancer.create(factory, ref, failures, guard, context);
    }
}
