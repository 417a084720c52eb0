package dev.switchboard.spi.config;

import dev.switchboard.spi.model.Origin;
import java.nio.file.Path;
import java.util.Map;

/**
 * A provider's own section of the static configuration (for example {@code [file]}), as parsed from the main TOML
 * file: values are {@code String}, {@code Long}, {@code Double}, {@code Boolean}, {@code List} or nested {@code Map}.
 *
 * @param section        the section name, for example {@code file}
 * @param values         the section's keys and values (immutable)
 * @param origin         where the section starts
 * @param mainConfigFile the main configuration file, or null when there is none (tests, embedded use); relative
 *                       paths in settings are resolved against its folder
 * @param global         top-level static settings a provider may honour, such as {@code keepTrailingSlash}
 */
public record ProviderSettings(String section, Map<String, Object> values, Origin origin, Path mainConfigFile,
                               Map<String, Object> global) {
    public ProviderSettings {
        values = Map.copyOf(values);
        global = Map.copyOf(global);
    }

    /** A string setting, or {@code fallback} if absent. */
    public String string(String key, String fallback) {
        Object v = values.get(key);
        return v == null ? fallback : v.toString();
    }

    /** A boolean setting, or {@code fallback} if absent. */
    public boolean bool(String key, boolean fallback) {
        Object v = values.get(key);
        return v instanceof Boolean b ? b : v == null ? fallback : Boolean.parseBoolean(v.toString());
    }
}
