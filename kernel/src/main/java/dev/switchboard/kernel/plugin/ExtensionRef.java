package dev.switchboard.kernel.plugin;

/**
 * Who provides an extension, for logs and messages: the extension point, the name it registers under, and its
 * plugin (or the class path).
 *
 * @param kind        the extension point in words, for example {@code matcher}
 * @param name        the name it registers ({@code Host}, {@code wrr}, ...)
 * @param pluginId    the plugin id, or null for an extension found on the application class path
 * @param pluginPath  the plugin's jar or folder as a string, or null
 * @param className   the implementing class
 * @param classLoader the loader to make current while its code runs
 */
public record ExtensionRef(String kind, String name, String pluginId, String pluginPath, String className,
                           ClassLoader classLoader) {

    /** {@code plugin 'core-matchers' (plugins/matchers.jar)} or {@code the class path}. */
    public String owner() {
        return pluginId == null ? "the class path" : "plugin '" + pluginId + "' (" + pluginPath + ")";
    }

    /** {@code matcher 'Host' of plugin 'core-matchers' (plugins/matchers.jar)}. */
    @Override
    public String toString() {
        return kind + " '" + name + "' of " + owner();
    }
}
