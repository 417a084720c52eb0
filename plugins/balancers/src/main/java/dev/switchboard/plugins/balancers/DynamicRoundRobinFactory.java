package dev.switchboard.plugins.balancers;

import dev.switchboard.spi.balance.Balancer;
import dev.switchboard.spi.balance.BalancerContext;
import dev.switchboard.spi.balance.BalancerFactory;
import dev.switchboard.spi.config.ConfigException;
import java.util.Set;
import java.util.function.LongSupplier;
import org.pf4j.Extension;

/**
 * {@code method = "drr"}: oxy's rebalancer (see {@link Rebalancer}) over the interleaved weighted round robin.
 *
 * <p>Beyond oxy: weights learned survive a server leaving and rejoining rotation (oxy reset every weight on each
 * health-check change) and a reload with the same servers and weights (the state is carried over); a reload that
 * changes the servers or their weights starts again from the configured weights, as oxy. Option
 * {@code latency = true} also treats as bad a server whose mean latency stands out.
 */
@Extension
public final class DynamicRoundRobinFactory implements BalancerFactory {
    static final String LATENCY = "latency";
    private final LongSupplier clock;

    public DynamicRoundRobinFactory() {
        this(System::nanoTime);
    }

    /** For tests: a clock in nanoseconds. */
    DynamicRoundRobinFactory(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return "drr";
    }

    @Override
    public Balancer create(BalancerContext context) throws ConfigException {
        Options.requireOnly(context.backend(), name(), Set.of(LATENCY));
        boolean byLatency = Options.flag(context.backend(), LATENCY);
        if (context.previous() instanceof DynamicRoundRobin p
                && p.rebalancer().servers().equals(context.servers()) && p.rebalancer().byLatency() == byLatency) {
            return new DynamicRoundRobin(p.rebalancer());
        }
        int[] weights = Weights.effective(context.servers(), context.allowMinWeightZero());
        RoundRobinState previous = context.previous() instanceof DynamicRoundRobin p ? p.rebalancer().round() : null;
        RoundRobinState round = new RoundRobinState(context.servers(), weights,
                RoundRobinState.availabilityFrom(previous, context.servers()),
                previous == null ? 0 : previous.cursor(), InterleavedCycle::of);
        return new DynamicRoundRobin(new Rebalancer(round, weights, clock, byLatency));
    }
}
