package dev.switchboard.kernel;

import dev.switchboard.kernel.balance.BalancingSettings;
import dev.switchboard.kernel.balance.HealthChecker;
import dev.switchboard.kernel.breaker.BreakerScheduler;
import dev.switchboard.kernel.breaker.CircuitBreaker;
import dev.switchboard.kernel.config.Section;
import dev.switchboard.kernel.config.StaticConfig;
import dev.switchboard.kernel.config.StaticConfigLoader;
import dev.switchboard.kernel.net.ProxyServer;
import dev.switchboard.kernel.plugin.ExtensionRegistry;
import dev.switchboard.kernel.plugin.GuardedConfigProvider;
import dev.switchboard.kernel.plugin.PluginGuardSettings;
import dev.switchboard.kernel.plugin.PluginHost;
import dev.switchboard.kernel.routing.CompiledBackend;
import dev.switchboard.kernel.routing.Router;
import dev.switchboard.kernel.routing.RouterHolder;
import dev.switchboard.kernel.routing.RoutingCompiler;
import dev.switchboard.kernel.routing.RoutingSettings;
import dev.switchboard.kernel.routing.RoutingTable;
import dev.switchboard.kernel.routing.Suggestions;
import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.config.ConfigProblem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy as one object: static configuration, plugins, configuration providers, routing and the network layer.
 * Used by {@link Main} and, in-process, by tests and the SDK test kit.
 *
 * <p>Life cycle: build ({@link #fromFile} or {@link #fromToml}), {@link #start()} (plugins, providers, first
 * configuration, listeners), {@link #close()} (graceful: stop accepting, finish in-flight exchanges up to the grace
 * timeout, stop providers and plugins). Start and close from one thread; the other methods are thread-safe.
 */
public final class Switchboard implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Switchboard.class);

    /**
     * How to find plugins.
     *
     * @param pluginsDir          the plugins folder (null: none)
     * @param classPathExtensions also use extensions indexed on the class path ({@code META-INF/extensions.idx})
     * @param firstConfigTimeout  how long {@link #start()} waits for the providers' first configuration
     */
    public record Options(Path pluginsDir, boolean classPathExtensions, Duration firstConfigTimeout) {

        /** {@code $switchboard.home/plugins} if the property is set, and class-path extensions. */
        public static Options defaults() {
            Path home = SwitchboardHome.get();
            return new Options(home == null ? null : home.resolve("plugins"), true, Duration.ofSeconds(30));
        }

        public Options withPluginsDir(Path dir) {
            return new Options(dir, classPathExtensions, firstConfigTimeout);
        }

        public Options withClassPathExtensions(boolean on) {
            return new Options(pluginsDir, on, firstConfigTimeout);
        }
    }

    private final Path configFile;
    private final boolean deleteConfigOnClose;
    private final Options options;
    private final RouterHolder holder = new RouterHolder();

    private StaticConfig staticConfig;
    private PluginHost plugins;
    private ConfigurationReloader reloader;
    private HealthChecker healthChecker;
    private final List<GuardedConfigProvider> providers = new ArrayList<>();
    private ProxyServer server;
    private BreakerScheduler breakers;
    private boolean closed;

    private Switchboard(Path configFile, boolean deleteConfigOnClose, Options options) {
        this.configFile = configFile;
        this.deleteConfigOnClose = deleteConfigOnClose;
        this.options = options;
    }

    /** A proxy configured by the main TOML file {@code configFile}. */
    public static Switchboard fromFile(Path configFile, Options options) {
        return new Switchboard(configFile.toAbsolutePath(), false, options);
    }

    /**
     * A proxy configured by {@code toml}, written to a temporary file (deleted on close) so that the file provider
     * can read {@code [frontends]}/{@code [backends]} from it as from any main file.
     */
    public static Switchboard fromToml(String toml, Options options) {
        try {
            Path f = Files.createTempFile("switchboard-", ".toml");
            Files.writeString(f, toml);
            return new Switchboard(f, true, options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The providers a static configuration starts, in section order, after checking each section has one. */
    static Map<Section, GuardedConfigProvider> providersFor(StaticConfig config, ExtensionRegistry registry,
                                                            List<ConfigProblem> errors,
                                                            List<ConfigProblem> warnings) {
        Map<Section, GuardedConfigProvider> result = new LinkedHashMap<>();
        for (Section s : config.otherSections().values()) {
            GuardedConfigProvider p = registry.provider(s.name());
            if (p != null) {
                result.put(s, p);
            } else if (s.name().equalsIgnoreCase("file")) {
                errors.add(new ConfigProblem(s.origin(), s.name(), "no configuration provider named 'file' is "
                        + "installed; expected the file provider plugin in the plugins folder"));
            } else if (StaticConfig.isTraefikProvider(s.name())) {
                warnings.add(new ConfigProblem(s.origin(), s.name(), "accepted, not built yet (no configuration "
                        + "provider plugin named '" + s.name() + "' is installed)"));
            } else {
                List<String> known = new ArrayList<>(registry.providerNames());
                known.addAll(List.of("entryPoints", "file", "api", "ping", "accessLog", "respondingTimeouts",
                        "forwardingTimeouts", "lifeCycle"));
                String hint = Suggestions.closest(s.name(), known);
                warnings.add(new ConfigProblem(s.origin(), s.name(), "unknown section, ignored"
                        + (hint == null ? "" : "; did you mean \"" + hint + "\"?")));
            }
        }
        if (config.hasDynamicSections() && config.section("file") == null) {
            warnings.add(new ConfigProblem(new dev.switchboard.spi.model.Origin(config.fileName(), 0), "frontends",
                    "[frontends] and [backends] of the main file are read only when a [file] section is present "
                            + "(as in Traefik v1); ignored"));
        }
        return result;
    }

    /** Loads everything, applies the first configuration and opens the listeners. */
    public void start() throws ConfigException, IOException {
        try {
            staticConfig = StaticConfigLoader.load(configFile);
            staticConfig.warnings().forEach(w -> LOG.warn("{}", w));
            plugins = PluginHost.start(options.pluginsDir(), options.classPathExtensions(),
                    PluginGuardSettings.withCallBudget(staticConfig.pluginCallBudget()));
            List<ConfigProblem> errors = new ArrayList<>();
            List<ConfigProblem> warnings = new ArrayList<>();
            Map<Section, GuardedConfigProvider> wanted = providersFor(staticConfig, plugins.registry(), errors,
                    warnings);
            warnings.forEach(w -> LOG.warn("{}", w));
            if (!errors.isEmpty()) {
                throw new ConfigException(errors);
            }
            healthChecker = new HealthChecker(staticConfig.healthCheckInterval());
            breakers = new BreakerScheduler();
            RoutingCompiler compiler = new RoutingCompiler(plugins.registry(), RoutingSettings.of(staticConfig),
                    new BalancingSettings(staticConfig.retryAttempts(), healthChecker), breakers);
            reloader = new ConfigurationReloader(compiler, holder, staticConfig.providersThrottle(),
                    healthChecker::adopt);
            for (Map.Entry<Section, GuardedConfigProvider> e : wanted.entrySet()) {
                GuardedConfigProvider p = e.getValue();
                LOG.info("starting configuration provider '{}' ({})", p.name(), p.ref().owner());
                p.start(reloader.contextFor(p.name(), staticConfig.providerSettings(e.getKey())));
                providers.add(p);
            }
            try {
                reloader.flush(options.firstConfigTimeout());
            } catch (TimeoutException e) {
                LOG.warn("no configuration applied within {}; starting with what is there",
                        options.firstConfigTimeout());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the first configuration", e);
            }
            if (reloader.generation() == 0) {
                LOG.warn("no valid configuration yet: every request is answered 404 until one is applied");
            }
            server = new ProxyServer(staticConfig.toProxySettings(), holder);
            server.start();
            breakers.start(this::servingBreakers);
            staticConfig.entryPoints().values().forEach(ep -> LOG.info("entry point '{}' listening on {}",
                    ep.name(), server.boundAddress(ep.name())));
        } catch (ConfigException | IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The address entry point {@code entryPoint} listens on (the real port when configured as 0). */
    public InetSocketAddress boundAddress(String entryPoint) {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return server.boundAddress(entryPoint);
    }

    /** The router serving now. */
    public Router router() {
        return holder.get();
    }

    /**
     * The circuit-breaker state of every backend of the serving configuration that has a breaker, by backend name
     * (for the API and metrics). Any thread.
     */
    public Map<String, BreakerStatus> breakerStates() {
        Map<String, BreakerStatus> result = new java.util.TreeMap<>();
        if (holder.get() instanceof RoutingTable t) {
            for (CompiledBackend b : t.backends().values()) {
                CircuitBreaker cb = b.breaker();
                if (cb != null) {
                    result.put(b.name(), new BreakerStatus(b.name(), cb.state(),
                            cb.transitionsInto(CircuitBreaker.State.TRIPPED)));
                }
            }
        }
        return result;
    }

    /**
     * One backend's breaker as the API shows it.
     *
     * @param backend the backend name
     * @param state   Standby, Tripped or Recovering
     * @param trips   how many times it tripped (across reloads that kept it)
     */
    public record BreakerStatus(String backend, CircuitBreaker.State state, long trips) {
    }

    private List<CircuitBreaker> servingBreakers() {
        List<CircuitBreaker> result = new ArrayList<>();
        if (holder.get() instanceof RoutingTable t) {
            for (CompiledBackend b : t.backends().values()) {
                if (b.breaker() != null) {
                    result.add(b.breaker());
                }
            }
        }
        return result;
    }

    /** The static configuration (after {@link #start()}). */
    public StaticConfig staticConfig() {
        return staticConfig;
    }

    /** The reload pipeline (after {@link #start()}), for generation counts in tests. */
    public ConfigurationReloader reloader() {
        return reloader;
    }

    /** Graceful stop; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (server != null) {
            try {
                server.shutdown();
            } catch (RuntimeException e) {
                LOG.warn("while stopping the listeners", e);
            }
        }
        if (breakers != null) {
            breakers.close();
        }
        for (GuardedConfigProvider p : providers) {
            p.close();
        }
        if (reloader != null) {
            reloader.close();
        }
        if (healthChecker != null) {
            healthChecker.close();
        }
        if (plugins != null) {
            plugins.close();
        }
        if (deleteConfigOnClose) {
            try {
                Files.deleteIfExists(configFile);
            } catch (IOException e) {
                LOG.debug("cannot delete {}", configFile, e);
            }
        }
        LOG.info("switchboard stopped");
    }
}
