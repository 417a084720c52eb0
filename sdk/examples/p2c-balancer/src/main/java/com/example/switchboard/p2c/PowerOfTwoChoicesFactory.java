package com.example.switchboard.p2c;

import dev.switchboard.spi.balance.Balancer;
import dev.switchboard.spi.balance.BalancerContext;
import dev.switchboard.spi.balance.BalancerFactory;
import org.pf4j.Extension;

/**
 * {@code [backends.B.loadBalancer] method = "p2c"}: power of two choices on requests in flight (Mitzenmacher). Weights
 * are ignored: the method balances by observed load, not by configuration.
 *
 * <p>Stateless; called off the event loops when a configuration is compiled.
 */
@Extension
public final class PowerOfTwoChoicesFactory implements BalancerFactory {
    static final String NAME = "p2c";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Balancer create(BalancerContext context) {
        PowerOfTwoChoices previous = context.previous() instanceof PowerOfTwoChoices p ? p : null;
        return new PowerOfTwoChoices(context.servers(), previous);
    }
}
