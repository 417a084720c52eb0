package dev.switchboard.kernel.plugin;

import dev.switchboard.spi.balance.BalancerContext;
import dev.switchboard.spi.balance.BalancerFactory;
import dev.switchboard.spi.config.ConfigException;

/** A plugin's {@link BalancerFactory} and who provides it; {@link #create} builds a {@link GuardedBalancer}. */
public final class RegisteredBalancerFactory {
    private final BalancerFactory factory;
    private final ExtensionRef ref;
    private final PluginFailureLog failures;

    public RegisteredBalancerFactory(BalancerFactory factory, ExtensionRef ref, PluginFailureLog failures) {
        this.factory = factory;
        this.ref = ref;
        this.failures = failures;
    }

    public ExtensionRef ref() {
        return ref;
    }

    /** The plugin's factory itself (to tell whether a previous balancer was made by it). */
    public BalancerFactory factory() {
        return factory;
    }

    public GuardedBalancer create(BalancerContext context) throws ConfigException {
        return GuardedBalancer.create(factory, ref, failures, context);
    }
}
