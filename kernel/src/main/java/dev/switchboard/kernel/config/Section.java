package dev.switchboard.kernel.config;

import dev.switchboard.spi.model.Origin;
import java.util.Map;

/**
 * One top-level table of the static configuration kept as read ({@code [api]}, {@code [file]}, {@code [etcd]}, ...):
 * values are {@code String}, {@code Long}, {@code Double}, {@code Boolean}, {@code List} or nested {@code Map}.
 *
 * @param name   the key as written, for example {@code consulCatalog}
 * @param values the table's content (immutable)
 * @param origin where the table starts
 */
public record Section(String name, Map<String, Object> values, Origin origin) {
    public Section {
        values = Map.copyOf(values);
    }

    /** A string value, or {@code fallback}. */
    public String string(String key, String fallback) {
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (e.getKey().equalsIgnoreCase(key) && e.getValue() != null) {
                return e.getValue().toString();
            }
        }
        return fallback;
    }
}
