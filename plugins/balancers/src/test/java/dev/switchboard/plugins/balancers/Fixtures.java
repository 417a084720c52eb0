package dev.switchboard.plugins.balancers;

import dev.switchboard.spi.balance.Balancer;
import dev.switchboard.spi.balance.BalancerContext;
import dev.switchboard.spi.balance.BalancerFactory;
import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.model.Backend;
import dev.switchboard.spi.model.LoadBalancer;
import dev.switchboard.spi.model.Origin;
import dev.switchboard.spi.model.Server;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Servers named A, B, C... at 10.0.0.1, 10.0.0.2... and balancers built over them. */
final class Fixtures {
    private Fixtures() {
    }

    static List<Server> servers(int... weights) {
        List<Server> out = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            out.add(new Server(String.valueOf((char) ('A' + i)), URI.create("http://10.0.0." + (i + 1) + ":80"),
                    weights[i], Origin.UNKNOWN));
        }
        return out;
    }

    static Backend backend(String method, List<Server> servers, Map<String, Object> options) {
        Map<String, Server> byName = new LinkedHashMap<>();
        for (Server s : servers) {
            byName.put(s.name(), s);
        }
        return new Backend("api", byName, new LoadBalancer(method, false, null, options), null, null, null, null,
                null, Origin.UNKNOWN);
    }

    static Balancer build(BalancerFactory factory, List<Server> servers, Map<String, Object> options,
                          Balancer previous, boolean allowMinWeightZero) throws ConfigException {
        return factory.create(new BalancerContext(backend(factory.name(), servers, options), servers, previous,
                allowMinWeightZero));
    }

    static Balancer wrr(int... weights) throws ConfigException {
        return build(new WeightedRoundRobinFactory(), servers(weights), Map.of(), null, false);
    }

    /** The next {@code n} picks as server names ("-" for none). */
    static String picks(Balancer b, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            Server s = b.pick(null);
            sb.append(s == null ? "-" : s.name());
        }
        return sb.toString();
    }
}
