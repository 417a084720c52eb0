package dev.switchboard.plugins.balancers;

import dev.switchboard.spi.balance.Balancer;
import dev.switchboard.spi.http.RequestView;
import dev.switchboard.spi.model.Server;

/**
 * The {@code wrr} balancer: oxy's interleaved weighted round robin (or nginx's smooth one with {@code smooth = true})
 * over the servers in rotation. See {@link WeightedRoundRobinFactory}.
 */
final class WeightedRoundRobin implements Balancer {
    private final RoundRobinState state;
    private final boolean smooth;

    WeightedRoundRobin(RoundRobinState state, boolean smooth) {
        this.state = state;
        this.smooth = smooth;
    }

    @Override
    public Server pick(RequestView request) {
        return state.pick();
    }

    @Override
    public void setAvailable(Server server, boolean available) {
        state.setAvailable(server, available);
    }

    @Override
    public int[] weights() {
        return state.weights();
    }

    RoundRobinState state() {
        return state;
    }

    boolean smooth() {
        return smooth;
    }
}
