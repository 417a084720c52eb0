package dev.switchboard.plugins.balancers;

import dev.switchboard.spi.balance.Balancer;
import dev.switchboard.spi.http.RequestView;
import dev.switchboard.spi.model.Server;

/** The {@code drr} balancer: interleaved weighted round robin with weights learned by a {@link Rebalancer}. */
final class DynamicRoundRobin implements Balancer {
    private final Rebalancer rebalancer;

    DynamicRoundRobin(Rebalancer rebalancer) {
        this.rebalancer = rebalancer;
    }

    @Override
    public Server pick(RequestView request) {
        return rebalancer.round().pick();
    }

    @Override
    public void record(Server server, int status, long latencyNanos) {
        rebalancer.record(server, status, latencyNanos);
    }

    @Override
    public void setAvailable(Server server, boolean available) {
        rebalancer.round().setAvailable(server, available);
    }

    @Override
    public int[] weights() {
        return rebalancer.round().weights();
    }

    Rebalancer rebalancer() {
        return rebalancer;
    }
}
