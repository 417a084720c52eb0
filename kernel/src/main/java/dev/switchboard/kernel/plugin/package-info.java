/**
 * The plugin host: PF4J over the distribution's {@code plugins/} folder plus extensions indexed on the class path,
 * resolved once at start into an {@link dev.switchboard.kernel.plugin.ExtensionRegistry} (names, never classes).
 * Every call into plugin code goes through a {@code Guarded*} wrapper that makes the plugin's class loader current
 * and turns any {@code Throwable} into a decision (no match, 502, a rejected configuration), logged with the plugin
 * id and extension name at most once a minute ({@link dev.switchboard.kernel.plugin.PluginFailureLog}). Per-request
 * calls are also timed: a slow extension is quarantined ({@link dev.switchboard.kernel.plugin.PluginCallGuard}), and a
 * watchdog reports a loop stuck inside one call ({@code PluginWatchdog}); see {@code docs/plugin-isolation.md}.
 */
package dev.switchboard.kernel.plugin;
