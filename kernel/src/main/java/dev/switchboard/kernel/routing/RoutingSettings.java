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
 * @param eventLoops         how many event loops will record outcomes: each circuit breaker gets one metrics stripe
 *                           per loop, and loop {@code i} records into stripe {@code i}
 */
public record RoutingSettings(Set<String> entryPoints, List<String> defaultEntryPoints, boolean keepTrailingSlash,
                              boolean allowMinWeightZero, int eventLoops) {
    public RoutingSettings {
        entryPoints = java.util.Collections.unmodifiableSet(new TreeSet<>(entryPoints));
        defaultEntryPoints = List.copyOf(defaultEntryPoints);
        if (eventLoops < 1) {
            throw new IllegalArgumentException("eventLoops must be positive: " + eventLoops);
        }
    }

    /** With one breaker stripe per available processor (the network layer's default number of loops). */
    public RoutingSettings(Set<String> entryPoints, List<String> defaultEntryPoints, boolean keepTrailingSlash,
                           boolean allowMinWeightZero) {
        this(entryPoints, defaultEntryPoints, keepTrailingSlash, allowMinWeightZero,
                Runtime.getRuntime().availableProcessors());
    }

    public static RoutingSettings of(StaticConfig config) {
        return new RoutingSettings(config.entryPoints().keySet(), config.defaultEntryPoints(),
                config.keepTrailingSlash(), config.allowMinWeightZero(), config.toProxySettings().loopCount());
    }

    /** One entry point {@code http}, the default. */
    public static RoutingSettings defaults() {
        return new RoutingSettings(Set.of("http"), List.of("http"), false, false);
    }
}
