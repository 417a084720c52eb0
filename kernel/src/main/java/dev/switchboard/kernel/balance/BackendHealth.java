package dev.switchboard.kernel.balance;

import java.util.List;

/**
 * The health of one backend's servers as one configuration generation sees it: the {@link ServerHealth} of each
 * server (in the backend's server order; kept across reloads for an unchanged server) and the probe each will run
 * once the generation is published. Immutable; {@link #inRotation} is read on the event loops.
 */
public final class BackendHealth {
    private final ServerHealth[] servers;
    private final List<ProbeSpec> specs;

    BackendHealth(List<ServerHealth> servers, List<ProbeSpec> specs) {
        this.servers = servers.toArray(ServerHealth[]::new);
        this.specs = List.copyOf(specs);
    }

    /** True if server {@code index} (backend order) passes its health check (or has not failed one yet). */
    public boolean inRotation(int index) {
        return servers[index].up();
    }

    int size() {
        return servers.length;
    }

    ServerHealth server(int index) {
        return servers[index];
    }

    ProbeSpec spec(int index) {
        return specs.get(index);
    }
}
