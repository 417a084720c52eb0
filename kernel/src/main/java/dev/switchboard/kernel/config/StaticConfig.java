package dev.switchboard.kernel.config;

import dev.switchboard.kernel.net.ProxySettings;
import dev.switchboard.spi.config.ConfigProblem;
import dev.switchboard.spi.config.ProviderSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The static configuration: read once at start from the main TOML file (Traefik v1's format). Immutable.
 *
 * @param file                 the main file, or null when read from text
 * @param fileName             the name used in messages
 * @param defaultEntryPoints   entry points of frontends that name none (only defined ones)
 * @param entryPoints          by name, sorted
 * @param logLevel             {@code logLevel} ({@code debug = true} makes it DEBUG)
 * @param keepTrailingSlash    {@code keepTrailingSlash}
 * @param allowMinWeightZero   {@code AllowMinWeightZero}
 * @param providersThrottle    {@code providersThrottleDuration} (2 s)
 * @param graceTimeout         {@code lifeCycle.graceTimeOut}, or the deprecated {@code graceTimeOut} when > 0 (10 s)
 * @param readTimeout          {@code respondingTimeouts.readTimeout} (none)
 * @param writeTimeout         {@code respondingTimeouts.writeTimeout} (none)
 * @param idleTimeout          {@code respondingTimeouts.idleTimeout}, or the deprecated {@code idleTimeout} (180 s)
 * @param dialTimeout          {@code forwardingTimeouts.dialTimeout} (30 s)
 * @param responseHeaderTimeout {@code forwardingTimeouts.responseHeaderTimeout} (none)
 * @param eventLoops           {@code eventLoops} (Switchboard extension; default one per core)
 * @param api                  {@code [api]} or null
 * @param ping                 {@code [ping]} or null
 * @param accessLog            {@code [accessLog]} or null
 * @param otherSections        every other top-level table by name as written (provider sections among them)
 * @param hasDynamicSections   the main file has {@code [frontends]} or {@code [backends]}
 * @param warnings             accepted-but-not-built and similar problems, in file order
 * @param retryAttempts        {@code [retry] attempts}: -1 without a {@code [retry]} section (no retries), 0 for
 *                             "the backend's number of servers" (the default when the section is present)
 * @param healthCheckInterval  {@code [healthcheck] interval}: the default interval of backends' health checks (30 s)
 * @param pluginCallBudget     {@code pluginCallBudget} (Switchboard extension; 50 ms): a per-request call into a
 *                             plugin slower than this is a strike; 3 strikes in 10 s quarantine the extension for
 *                             30 s (docs/plugin-isolation.md); 0 turns strikes off
 */
public record StaticConfig(Path file, String fileName, List<String> defaultEntryPoints,
                           Map<String, EntryPointConfig> entryPoints, LogLevel logLevel, boolean keepTrailingSlash,
                           boolean allowMinWeightZero, Duration providersThrottle, Duration graceTimeout,
                           Duration readTimeout, Duration writeTimeout, Duration idleTimeout, Duration dialTimeout,
                           Duration responseHeaderTimeout, int eventLoops, Section api, Section ping,
                           Section accessLog, Map<String, Section> otherSections, boolean hasDynamicSections,
                           List<ConfigProblem> warnings, int retryAttempts, Duration healthCheckInterval,
                           Duration pluginCallBudget) {

    /** Provider names Traefik v1 knows; a section so named is a provider section. */
    public static final Set<String> TRAEFIK_PROVIDERS = Set.of("file", "docker", "marathon", "consul",
            "consulcatalog", "etcd", "zookeeper", "boltdb", "kubernetes", "mesos", "eureka", "ecs", "rancher",
            "dynamodb", "servicefabric", "rest");

    public StaticConfig {
        defaultEntryPoints = List.copyOf(defaultEntryPoints);
        entryPoints = java.util.Collections.unmodifiableMap(new TreeMap<>(entryPoints));
        otherSections = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(otherSections));
        warnings = List.copyOf(warnings);
    }

    /** The network layer's settings. */
    public ProxySettings toProxySettings() {
        List<ProxySettings.Listener> listeners = new ArrayList<>();
        for (EntryPointConfig ep : entryPoints.values()) {
            listeners.add(new ProxySettings.Listener(ep.name(), ep.address(), ep.trustedProxies()));
        }
        return new ProxySettings(listeners, eventLoops, readTimeout, writeTimeout, idleTimeout, dialTimeout,
                responseHeaderTimeout, graceTimeout, 32 * 1024);
    }

    /** Top-level settings a provider may honour ({@code keepTrailingSlash}, {@code defaultEntryPoints}, ...). */
    public Map<String, Object> global() {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("keepTrailingSlash", keepTrailingSlash);
        g.put("AllowMinWeightZero", allowMinWeightZero);
        g.put("defaultEntryPoints", defaultEntryPoints);
        g.put("entryPoints", List.copyOf(entryPoints.keySet()));
        return g;
    }

    /** The settings handed to the provider of {@code section}. */
    public ProviderSettings providerSettings(Section section) {
        return new ProviderSettings(section.name(), section.values(), section.origin(), file, global());
    }

    /** The section named {@code name} (case-insensitive), or null. */
    public Section section(String name) {
        for (Map.Entry<String, Section> e : otherSections.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** True if {@code name} is a provider Traefik v1 knows (case-insensitive). */
    public static boolean isTraefikProvider(String name) {
        return TRAEFIK_PROVIDERS.contains(name.toLowerCase(Locale.ROOT));
    }
}
