package dev.switchboard.plugins.balancers;

import dev.switchboard.spi.balance.Balancer;
import dev.switchboard.spi.balance.BalancerContext;
import dev.switchboard.spi.balance.BalancerFactory;
import dev.switchboard.spi.config.ConfigException;
import java.util.Set;
import java.util.function.Function;
import org.pf4j.Extension;

/**
 * {@code method = "wrr"} (the default): oxy's interleaved weighted round robin with gcd step, exactly: weights 10, 1
 * give {@code AAAAAAAAAAB}, 1, 2 give {@code BAB}, 3, 2, 1 give {@code AABABC}. Weight 0 counts as 1 unless
 * {@code AllowMinWeightZero}; every weight 0 means no server (503).
 *
 * <p>Beyond oxy: a server leaving or rejoining rotation, or a reload with the same servers and weights, keeps the
 * position in the sequence instead of restarting it (oxy restarted at the heaviest server each time), and option
 * {@code smooth = true} gives nginx's smooth weighted round robin, which spreads a heavy server's picks instead of
 * sending them in a burst.
 */
@Extension
public final class WeightedRoundRobinFactory implements BalancerFactory {
    static final String SMOOTH = "smooth";

    @Override
    public String name() {
        return "wrr";
    }

    @Override
    public Balancer create(BalancerContext context) throws ConfigException {
        Options.requireOnly(context.backend(), name(), Set.of(SMOOTH));
        boolean smooth = Options.flag(context.backend(), SMOOTH);
        int[] weights = Weights.effective(context.servers(), context.allowMinWeightZero());
        if (smooth && SmoothCycle.lengthOf(weights) > SmoothCycle.MAX_LENGTH) {
            throw new ConfigException("backends." + context.backend().name() + ".loadBalancer.smooth: the weights"
                    + " give a smooth cycle of " + SmoothCycle.lengthOf(weights) + " picks (sum of weights / their"
                    + " gcd), more than " + SmoothCycle.MAX_LENGTH + "; use smaller weights");
        }
        RoundRobinState previous = context.previous() instanceof WeightedRoundRobin p && p.smooth() == smooth
                ? p.state() : null;
        if (previous != null && previous.servers().equals(context.servers())) {
            return new WeightedRoundRobin(previous, smooth); // same servers, same weights: same sequence, same cursor
        }
        Function<int[], Cycle> cycles = smooth ? SmoothCycle::of : InterleavedCycle::of;
        RoundRobinState state = new RoundRobinState(context.servers(), weights,
                RoundRobinState.availabilityFrom(previous, context.servers()),
                previous == null ? 0 : previous.cursor(), cycles);
        return new WeightedRoundRobin(state, smooth);
    }
}
