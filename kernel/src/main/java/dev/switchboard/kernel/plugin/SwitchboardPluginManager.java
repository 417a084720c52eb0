package dev.switchboard.kernel.plugin;

import dev.switchboard.spi.SpiVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.pf4j.CompoundPluginLoader;
import org.pf4j.DefaultPluginFactory;
import org.pf4j.DefaultPluginLoader;
import org.pf4j.DefaultPluginManager;
import org.pf4j.ExtensionFinder;
import org.pf4j.Plugin;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginFactory;
import org.pf4j.PluginLoader;
import org.pf4j.PluginManager;
import org.pf4j.PluginStatusProvider;
import org.pf4j.PluginWrapper;
import org.pf4j.VersionManager;

/**
 * PF4J configured for Switchboard: system version = the SPI version (so {@code Plugin-Requires} is checked), a
 * plugin class optional (a plugin that only contributes extensions needs none), and class loaders that take the
 * contract ({@code dev.switchboard.spi}, {@code org.pf4j}, {@code org.slf4j}) from the kernel even if a jar bundles a
 * copy: two copies of the SPI would make its extensions invisible ("not assignable").
 */
final class SwitchboardPluginManager extends DefaultPluginManager {

    SwitchboardPluginManager(Path pluginsRoot) {
        super(List.of(pluginsRoot));
        setSystemVersion(SpiVersion.CURRENT);
    }

    ExtensionFinder extensionFinder() {
        return extensionFinder;
    }

    VersionManager versions() {
        return versionManager;
    }

    /**
     * Every plugin in the folder is enabled: PF4J's default would read {@code enabled.txt}/{@code disabled.txt} from
     * the plugins root, a second, silent way to switch plugins off that Switchboard does not document.
     */
    @Override
    protected PluginStatusProvider createPluginStatusProvider() {
        return new PluginStatusProvider() {
            @Override
            public boolean isPluginDisabled(String pluginId) {
                return false;
            }

            @Override
            public void disablePlugin(String pluginId) {
                throw new UnsupportedOperationException("plugins are enabled by being in the plugins folder");
            }

            @Override
            public void enablePlugin(String pluginId) {
            }
        };
    }

    @Override
    protected PluginFactory createPluginFactory() {
        return new DefaultPluginFactory() {
            @Override
            public Plugin create(PluginWrapper pluginWrapper) {
                String cls = pluginWrapper.getDescriptor().getPluginClass();
                if (cls == null || cls.isBlank()) {
                    return new Plugin() {
                    };
                }
                return super.create(pluginWrapper);
            }
        };
    }

    @Override
    protected PluginLoader createPluginLoader() {
        return new CompoundPluginLoader()
                .add(new ContractFirstJarLoader(this))
                .add(new DefaultPluginLoader(this));
    }

    /** Loads a plugin jar with a {@link ContractFirstClassLoader}. */
    private static final class ContractFirstJarLoader implements PluginLoader {
        private final PluginManager manager;

        ContractFirstJarLoader(PluginManager manager) {
            this.manager = manager;
        }

        @Override
        public boolean isApplicable(Path pluginPath) {
            return Files.isRegularFile(pluginPath) && pluginPath.getFileName().toString().endsWith(".jar");
        }

        @Override
        public ClassLoader loadPlugin(Path pluginPath, PluginDescriptor descriptor) {
            PluginClassLoader loader = new ContractFirstClassLoader(manager, descriptor,
                    SwitchboardPluginManager.class.getClassLoader());
            loader.addFile(pluginPath.toFile());
            return loader;
        }
    }

    /** Parent-first for the contract packages, plugin-first for everything else. */
    static final class ContractFirstClassLoader extends PluginClassLoader {
        static {
            ClassLoader.registerAsParallelCapable();
        }

        ContractFirstClassLoader(PluginManager manager, PluginDescriptor descriptor, ClassLoader parent) {
            super(manager, descriptor, parent);
        }

        @Override
        public Class<?> loadClass(String name) throws ClassNotFoundException {
            if (name.startsWith("dev.switchboard.spi.") || name.startsWith("org.slf4j.")) {
                return getParent().loadClass(name);
            }
            return super.loadClass(name);
        }
    }
}
