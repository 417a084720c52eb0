package dev.switchboard.kernel.plugin;

import dev.switchboard.spi.SpiVersion;
import dev.switchboard.spi.balance.BalancerFactory;
import dev.switchboard.spi.breaker.ExpressionCompiler;
import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.config.ConfigProblem;
import dev.switchboard.spi.config.ConfigProvider;
import dev.switchboard.spi.match.MatcherFactory;
import dev.switchboard.spi.model.Origin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.pf4j.ExtensionWrapper;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the plugins of the {@code plugins/} folder with PF4J, plus the extensions on the application class path
 * (tests, the SDK test kit), and resolves every extension point once into an {@link ExtensionRegistry}.
 *
 * <p>Start-up fails, with every problem at once, when a jar cannot be loaded (naming the jar and the cause), a plugin
 * requires another SPI version (naming both), a plugin fails to start, an extension cannot be created, or two
 * extensions claim the same name (naming both owners). A plugin contributing no extension is a warning.
 *
 * <p>Not thread-safe; built and closed by one thread. The registry it yields is immutable.
 */
public final class PluginHost implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PluginHost.class);

    private final SwitchboardPluginManager manager;
    private final ExtensionRegistry registry;
    private final List<ConfigProblem> warnings;

    private PluginHost(SwitchboardPluginManager manager, ExtensionRegistry registry, List<ConfigProblem> warnings) {
        this.manager = manager;
        this.registry = registry;
        this.warnings = List.copyOf(warnings);
    }

    public ExtensionRegistry registry() {
        return registry;
    }

    /** Warnings of the start (plugins without extensions). */
    public List<ConfigProblem> warnings() {
        return warnings;
    }

    /**
     * Loads and starts every plugin of {@code pluginsDir} (may be null or missing: no plugins) and, if
     * {@code classPathExtensions}, the extensions indexed on the class path.
     */
    public static PluginHost start(Path pluginsDir, boolean classPathExtensions) throws ConfigException {
        return start(pluginsDir, classPathExtensions, PluginGuardSettings.DEFAULTS);
    }

    /**
     * As {@link #start(Path, boolean)}, each matcher and balancer extension behind a {@link PluginCallGuard} with
     * {@code guardSettings} (slow-call quarantine).
     */
    public static PluginHost start(Path pluginsDir, boolean classPathExtensions, PluginGuardSettings guardSettings)
            throws ConfigException {
        Path root = pluginsDir == null ? Path.of("plugins") : pluginsDir.toAbsolutePath().normalize();
        SwitchboardPluginManager manager = new SwitchboardPluginManager(root);
        List<ConfigProblem> errors = new ArrayList<>();
        List<ConfigProblem> warnings = new ArrayList<>();
        Map<String, Path> pathById = new LinkedHashMap<>();

        for (Path candidate : candidates(pluginsDir, errors)) {
            try {
                String id = manager.loadPlugin(candidate);
                PluginWrapper w = manager.getPlugin(id);
                pathById.put(id, candidate);
                String requires = w.getDescriptor().getRequires();
                if (requires != null && !requires.isBlank() && !"*".equals(requires.trim())
                        && !manager.versions().checkVersionConstraint(SpiVersion.CURRENT, requires.trim())) {
                    errors.add(problem(candidate, "plugin '" + id + "' " + w.getDescriptor().getVersion()
                            + " requires SPI " + requires.trim() + " but this Switchboard provides SPI "
                            + SpiVersion.CURRENT + "; refused"));
                } else if (w.getPluginState() == PluginState.DISABLED) {
                    errors.add(problem(candidate, "plugin '" + id + "' was disabled by PF4J as invalid"));
                }
            } catch (Throwable e) {
                errors.add(problem(candidate, "cannot load plugin: " + rootCause(e)));
            }
        }
        if (errors.isEmpty()) {
            manager.startPlugins();
            for (PluginWrapper w : manager.getPlugins()) {
                if (w.getPluginState() != PluginState.STARTED) {
                    Throwable cause = w.getFailedException();
                    errors.add(problem(w.getPluginPath(), "plugin '" + w.getPluginId() + "' failed to start ("
                            + w.getPluginState() + ")" + (cause == null ? "" : ": " + rootCause(cause))));
                }
            }
        }

        Map<String, GuardedMatcherFactory> matchers = new TreeMap<>();
        Map<String, RegisteredBalancerFactory> balancers = new TreeMap<>();
        Map<String, GuardedExpressionCompiler> compilers = new TreeMap<>();
        Map<String, GuardedConfigProvider> providers = new TreeMap<>();
        if (errors.isEmpty()) {
            List<String> owners = new ArrayList<>();
            if (classPathExtensions) {
                owners.add(null);
            }
            for (PluginWrapper w : manager.getStartedPlugins()) {
                owners.add(w.getPluginId());
            }
            PluginFailureLog failures = PluginFailureLog.SHARED;
            for (String owner : owners) {
                PluginWrapper w = owner == null ? null : manager.getPlugin(owner);
                String path = w == null ? null : w.getPluginPath().toString();
                List<String> found = new ArrayList<>();
                int errorsBefore = errors.size();
                int count = 0;
                count += collect(manager, MatcherFactory.class, owner, path, "matcher", MatcherFactory::name, true,
                        (f, ref) -> new GuardedMatcherFactory(f, ref, failures,
                                new PluginCallGuard(ref, guardSettings)), matchers, found, errors);
                count += collect(manager, BalancerFactory.class, owner, path, "balancer", BalancerFactory::name,
                        false, (f, ref) -> new RegisteredBalancerFactory(f, ref, failures,
                                new PluginCallGuard(ref, guardSettings)), balancers, found, errors);
                count += collect(manager, ExpressionCompiler.class, owner, path, "expression compiler",
                        ExpressionCompiler::language, false,
                        (f, ref) -> new GuardedExpressionCompiler(f, ref, failures), compilers, found, errors);
                count += collect(manager, ConfigProvider.class, owner, path, "configuration provider",
                        ConfigProvider::name, false, GuardedConfigProvider::new, providers, found, errors);
                if (w != null && errors.size() == errorsBefore) {
                    checkIndexedClasses(manager, w, errors, warnings);
                }
                if (w != null) {
                    LOG.info("plugin '{}' {} ({}) provides: {}", owner, w.getDescriptor().getVersion(), path,
                            found.isEmpty() ? "nothing" : String.join(", ", found));
                    if (count == 0) {
                        ConfigProblem warning = problem(w.getPluginPath(), "plugin '" + owner + "' contributes no "
                                + "extension (was PF4J's annotation processor run, and is META-INF/extensions.idx in "
                                + "the jar? does the jar bundle its own copy of the SPI?)");
                        warnings.add(warning);
                        LOG.warn("{}", warning);
                    }
                } else if (!found.isEmpty()) {
                    LOG.info("class path provides: {}", String.join(", ", found));
                }
            }
        }
        if (!errors.isEmpty()) {
            closeQuietly(manager);
            throw new ConfigException(errors);
        }
        return new PluginHost(manager, new ExtensionRegistry(matchers, balancers, compilers, providers), warnings);
    }

    private interface Wrap<T, W> {
        W wrap(T extension, ExtensionRef ref);
    }

    private static <T, W> int collect(SwitchboardPluginManager manager, Class<T> type, String owner, String path,
                                      String kind, Function<T, String> nameOf, boolean caseSensitive,
                                      Wrap<T, W> wrap, Map<String, W> into, List<String> found,
                                      List<ConfigProblem> errors) {
        List<ExtensionWrapper<T>> wrappers;
        try {
            wrappers = manager.extensionFinder().find(type, owner);
        } catch (Throwable e) {
            errors.add(ownerProblem(owner, path, "cannot list " + kind + " extensions: " + rootCause(e)));
            return 0;
        }
        int count = 0;
        ClassLoader pluginLoader = owner == null ? null : manager.getPluginClassLoader(owner);
        for (ExtensionWrapper<T> ew : wrappers) {
            String className = ew.getDescriptor().extensionClass.getName();
            ClassLoader loader = ew.getDescriptor().extensionClass.getClassLoader();
            if (pluginLoader != null && loader != pluginLoader) {
                // PF4J reads a plugin's extensions.idx through its class loader, which also sees the application's
                // index: a plugin without an index of its own would otherwise "provide" the class path's extensions.
                continue;
            }
            T extension;
            String name;
            Thread t = Thread.currentThread();
            ClassLoader previous = t.getContextClassLoader();
            t.setContextClassLoader(loader);
            try {
                extension = ew.getExtension();
                name = nameOf.apply(extension);
            } catch (Throwable e) {
                errors.add(ownerProblem(owner, path, "cannot create " + kind + " extension " + className + ": "
                        + rootCause(e)));
                continue;
            } finally {
                t.setContextClassLoader(previous);
            }
            if (name == null || name.isBlank()) {
                errors.add(ownerProblem(owner, path, kind + " extension " + className + " has no name"));
                continue;
            }
            count++;
            ExtensionRef ref = new ExtensionRef(kind, name, owner, path, className, loader);
            String key = caseSensitive ? name : name.toLowerCase(Locale.ROOT);
            W existing = into.get(key);
            if (existing != null) {
                ExtensionRef other = refOf(existing);
                errors.add(ownerProblem(owner, path, "two " + kind + " extensions are named '" + name + "': "
                        + other.className() + " of " + other.owner() + " and " + className + " of " + ref.owner()));
                continue;
            }
            into.put(key, wrap.wrap(extension, ref));
            found.add(kind + " " + name);
        }
        return count;
    }

    private static final List<Class<?>> EXTENSION_POINTS = List.of(MatcherFactory.class, BalancerFactory.class,
            ExpressionCompiler.class, ConfigProvider.class);

    /**
     * PF4J logs and skips an indexed extension class it cannot load; here that is an error naming the jar and the
     * class, and a class that implements none of Switchboard's extension points is a warning.
     */
    private static void checkIndexedClasses(SwitchboardPluginManager manager, PluginWrapper w,
                                            List<ConfigProblem> errors, List<ConfigProblem> warnings) {
        ClassLoader loader = w.getPluginClassLoader();
        for (String className : manager.getExtensionClassNames(w.getPluginId())) {
            Class<?> c;
            try {
                c = Class.forName(className, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                errors.add(problem(w.getPluginPath(), "plugin '" + w.getPluginId() + "': extension class "
                        + className + " listed in META-INF/extensions.idx cannot be loaded: " + rootCause(e)));
                continue;
            }
            if (c.getClassLoader() != loader) {
                continue; // the application's index, seen through the plugin's loader
            }
            if (EXTENSION_POINTS.stream().noneMatch(p -> p.isAssignableFrom(c))) {
                ConfigProblem warning = problem(w.getPluginPath(), "plugin '" + w.getPluginId() + "': extension "
                        + "class " + className + " implements no Switchboard extension point (built against another "
                        + "copy of the SPI?); ignored");
                warnings.add(warning);
                LOG.warn("{}", warning);
            }
        }
    }

    private static ExtensionRef refOf(Object registered) {
        if (registered instanceof GuardedMatcherFactory m) {
            return m.ref();
        }
        if (registered instanceof RegisteredBalancerFactory b) {
            return b.ref();
        }
        if (registered instanceof GuardedExpressionCompiler c) {
            return c.ref();
        }
        return ((GuardedConfigProvider) registered).ref();
    }

    /** Jar files and folders of {@code dir}, sorted by name; hidden entries and other files are skipped. */
    private static List<Path> candidates(Path dir, List<ConfigProblem> errors) {
        if (dir == null || !Files.isDirectory(dir)) {
            if (dir != null) {
                LOG.info("no plugins folder at {}; only class-path extensions are used", dir);
            }
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> Files.isDirectory(p) || p.getFileName().toString().endsWith(".jar"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            errors.add(problem(dir, "cannot list the plugins folder: " + e));
            return List.of();
        }
    }

    private static ConfigProblem problem(Path where, String message) {
        return new ConfigProblem(new Origin(String.valueOf(where), 0), "plugins", message);
    }

    private static ConfigProblem ownerProblem(String owner, String path, String message) {
        return new ConfigProblem(new Origin(owner == null ? "<class path>" : path, 0), "plugins", message);
    }

    static String rootCause(Throwable e) {
        Throwable c = e;
        StringBuilder b = new StringBuilder(String.valueOf(e.getMessage() == null ? e : e.getMessage()));
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
            b.append(": ").append(c);
        }
        return b.toString();
    }

    private static void closeQuietly(SwitchboardPluginManager manager) {
        try {
            manager.stopPlugins();
            manager.unloadPlugins();
        } catch (Throwable e) {
            LOG.debug("while unloading plugins after a failed start", e);
        }
    }

    /** Stops and unloads every plugin. */
    @Override
    public void close() {
        for (String name : registry.providerNames()) {
            GuardedConfigProvider p = registry.provider(name);
            if (p != null) {
                p.close();
            }
        }
        closeQuietly(manager);
    }
}
