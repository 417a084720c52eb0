package dev.switchboard.spi.model;

import java.util.Map;
import java.util.TreeMap;

/**
 * One provider's complete dynamic configuration: frontends and backends by name (sorted by name).
 */
public record Configuration(Map<String, Frontend> frontends, Map<String, Backend> backends) {
    public static final Configuration EMPTY = new Configuration(Map.of(), Map.of());

    public Configuration {
        frontends = java.util.Collections.unmodifiableMap(new TreeMap<>(frontends));
        backends = java.util.Collections.unmodifiableMap(new TreeMap<>(backends));
    }
}
