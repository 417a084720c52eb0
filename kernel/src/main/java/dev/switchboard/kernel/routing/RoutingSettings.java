package dev.switchboard.kernel.routing;

import dev.switchboard.kernel.config.StaticConfig;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What routing needs from the static configuration.
 *
 * @param entryPoints        the defined entry point names
 * @param defaultEntryPoints the entry points of frontends that name none
 * @param keepTrailingSlash  {@code keepTrailingSlash}, handed to matchers
 * @param allowMinWeightZero {@code AllowMinWeightZero}, handed to balancers
 */
public record RoutingSettings(Set<String> entryPoints, List<String> defaultEntryPoints, boolean keepTrailingSlash,
                              boolean allowMinWeightZero) {
    public RoutingSettings {
        entryPoints = java.util.Collections.unmodifiableSet(new TreeSet<>(entryPoints));
        defaultEntryPoints = List.copyOf(defaultEntryPoints);
    }

    public static RoutingSettings of(StaticConfig config) {
        return new RoutingSettings(config.entryPoints().keySet(), config.defaultEntryPoints(),
                config.keepTrailingSlash(), config.allowMinWeightZero());
    }

    /** One entry point {@code http}, the default. */
    public static RoutingSettings defaults() {
        return new RoutingSettings(Set.of("http"), List.of("http"), false, false);
    }
}
