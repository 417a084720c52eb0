package dev.switchboard.plugins.balancers;

import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.model.Backend;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Reads a balancer's options from {@code [backends.B.loadBalancer]}; unknown keys and bad values are errors. */
final class Options {
    private Options() {
    }

    static void requireOnly(Backend backend, String method, Set<String> known) throws ConfigException {
        Set<String> unknown = new TreeSet<>(backend.loadBalancer().options().keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new ConfigException("backends." + backend.name() + ".loadBalancer: unknown option(s) " + unknown
                    + " for method " + method + (known.isEmpty() ? " (it takes none)" : " (known: "
                    + new TreeSet<>(known) + ")"));
        }
    }

    static boolean flag(Backend backend, String key) throws ConfigException {
        Map<String, Object> options = backend.loadBalancer().options();
        Object v = options.get(key);
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = v.toString().trim();
        if (s.equalsIgnoreCase("true")) {
            return true;
        }
        if (s.equalsIgnoreCase("false")) {
            return false;
        }
        throw new ConfigException("backends." + backend.name() + ".loadBalancer." + key
                + ": expected true or false, got '" + v + "'");
    }
}
