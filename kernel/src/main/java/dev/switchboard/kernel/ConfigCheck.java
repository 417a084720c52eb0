package dev.switchboard.kernel;

import dev.switchboard.kernel.config.EntryPointConfig;
import dev.switchboard.kernel.config.GoDuration;
import dev.switchboard.kernel.config.Section;
import dev.switchboard.kernel.config.StaticConfig;
import dev.switchboard.kernel.config.StaticConfigLoader;
import dev.switchboard.kernel.plugin.GuardedConfigProvider;
import dev.switchboard.kernel.plugin.PluginHost;
import dev.switchboard.kernel.routing.CompiledBackend;
import dev.switchboard.kernel.routing.CompiledFrontend;
import dev.switchboard.kernel.routing.ConfigurationMerger;
import dev.switchboard.kernel.routing.RoutingCompiler;
import dev.switchboard.kernel.routing.RoutingSettings;
import dev.switchboard.kernel.routing.RoutingTable;
import dev.switchboard.kernel.routing.Upstream;
import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.config.ConfigProblem;
import dev.switchboard.spi.config.ProviderContext;
import dev.switchboard.spi.config.ProviderSettings;
import dev.switchboard.spi.model.Configuration;
import dev.switchboard.spi.model.Route;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code switchboard check}: validates the static configuration, every provider's dynamic configuration (through
 * {@code ConfigProvider.check}, which neither watches nor starts threads) and compiles the routing (rules, backends,
 * methods) without binding any socket. Reports every error and warning, or a listing of what would be served.
 */
public final class ConfigCheck {
    private ConfigCheck() {
    }

    /**
     * The outcome of a check.
     *
     * @param errors   every error (empty when valid)
     * @param warnings every warning
     * @param listing  entry points, frontends and backends, one line each (empty when invalid)
     */
    public record Report(List<ConfigProblem> errors, List<ConfigProblem> warnings, List<String> listing) {
        public boolean valid() {
            return errors.isEmpty();
        }
    }

    public static Report run(Path configFile, Switchboard.Options options) {
        List<ConfigProblem> errors = new ArrayList<>();
        List<ConfigProblem> warnings = new ArrayList<>();
        StaticConfig config = null;
        try {
            config = StaticConfigLoader.load(configFile);
            warnings.addAll(config.warnings());
        } catch (ConfigException e) {
            errors.addAll(e.problems());
        }
        PluginHost plugins;
        try {
            plugins = PluginHost.start(options.pluginsDir(), options.classPathExtensions());
        } catch (ConfigException e) {
            // Reported together with the static configuration's errors, not instead of them.
            errors.addAll(e.problems());
            return new Report(errors, warnings, List.of());
        }
        if (config == null) {
            plugins.close();
            return new Report(errors, warnings, List.of());
        }
        try (plugins) {
            warnings.addAll(plugins.warnings());
            Map<Section, GuardedConfigProvider> providers = Switchboard.providersFor(config, plugins.registry(),
                    errors, warnings);
            Map<String, Configuration> byProvider = new TreeMap<>();
            for (Map.Entry<Section, GuardedConfigProvider> e : providers.entrySet()) {
                GuardedConfigProvider p = e.getValue();
                Collector c = new Collector(config.providerSettings(e.getKey()));
                try {
                    p.check(c);
                } catch (ConfigException ex) {
                    errors.addAll(ex.problems());
                }
                errors.addAll(c.errors);
                warnings.addAll(c.warnings);
                if (c.published != null) {
                    byProvider.put(p.name(), c.published);
                }
            }
            if (!errors.isEmpty()) {
                errors.addAll(routingErrorsOfPartial(byProvider, config, plugins, errors));
                return new Report(errors, warnings, List.of());
            }
            Configuration merged = byProvider.isEmpty() ? Configuration.EMPTY : ConfigurationMerger.merge(byProvider);
            RoutingCompiler.Result result = new RoutingCompiler(plugins.registry(), RoutingSettings.of(config))
                    .compile(merged, null);
            warnings.addAll(result.warnings());
            return new Report(List.of(), warnings, listing(config, result.table()));
        } catch (ConfigException e) {
            errors.addAll(e.problems());
            return new Report(errors, warnings, List.of());
        }
    }

    /**
     * When a provider rejected its source, the routing errors of the part that did read (rules, methods, entry
     * points), so one run of {@code check} reports every layer's errors. Problems on a key already reported are
     * left out (a frontend whose backend was reported missing is not reported again).
     */
    private static List<ConfigProblem> routingErrorsOfPartial(Map<String, Configuration> byProvider,
                                                               StaticConfig config, PluginHost plugins,
                                                               List<ConfigProblem> reported) {
        if (byProvider.isEmpty()) {
            return List.of();
        }
        try {
            new RoutingCompiler(plugins.registry(), RoutingSettings.of(config))
                    .compile(ConfigurationMerger.merge(byProvider), null);
            return List.of();
        } catch (ConfigException e) {
            Set<String> keys = new HashSet<>();
            reported.forEach(p -> keys.add(p.key()));
            return e.problems().stream().filter(p -> !keys.contains(p.key())).toList();
        }
    }

    private static List<String> listing(StaticConfig config, RoutingTable table) {
        List<String> out = new ArrayList<>();
        out.add("entry points:");
        for (EntryPointConfig ep : config.entryPoints().values()) {
            out.add("  " + ep.name() + "  " + ep.addressText()
                    + (config.defaultEntryPoints().contains(ep.name()) ? "  (default)" : ""));
        }
        out.add("frontends (in priority order):");
        for (CompiledFrontend f : table.frontends()) {
            out.add("  " + f.name() + "  priority " + f.priority() + "  entry points " + String.join(",",
                    f.entryPoints()) + "  backend " + f.backend().name()
                    + (f.passHostHeader() ? "  passHostHeader" : ""));
            for (Route r : f.config().routes().values()) {
                out.add("    route " + r.name() + ": " + r.rule());
            }
        }
        out.add("backends:");
        for (CompiledBackend b : table.backends().values()) {
            out.add("  " + b.name() + "  method " + b.config().loadBalancer().method());
            for (Upstream u : b.upstreams()) {
                out.add("    " + u.server().name() + "  " + u.server().url() + "  weight " + u.server().weight());
            }
            if (b.breaker() != null) {
                out.add("    circuit breaker (" + b.config().circuitBreaker().language() + "): "
                        + b.config().circuitBreaker().expression());
            }
        }
        out.add("configuration is valid: " + config.entryPoints().size() + " entry points, "
                + table.frontends().size() + " frontends, " + table.backends().size() + " backends; grace "
                + GoDuration.format(config.graceTimeout()));
        return out;
    }

    /** Gathers what a provider's {@code check} reports. */
    private static final class Collector implements ProviderContext {
        private final ProviderSettings settings;
        final List<ConfigProblem> errors = new ArrayList<>();
        final List<ConfigProblem> warnings = new ArrayList<>();
        Configuration published;

        Collector(ProviderSettings settings) {
            this.settings = settings;
        }

        @Override
        public ProviderSettings settings() {
            return settings;
        }

        @Override
        public synchronized void publish(Configuration snapshot) {
            published = snapshot;
        }

        @Override
        public synchronized void reject(ConfigException problems) {
            errors.addAll(problems.problems());
            if (problems.partial() != null) {
                published = problems.partial();
            }
        }

        @Override
        public synchronized void warn(ConfigProblem warning) {
            if (!warnings.contains(warning)) {
                warnings.add(warning);
            }
        }
    }
}
