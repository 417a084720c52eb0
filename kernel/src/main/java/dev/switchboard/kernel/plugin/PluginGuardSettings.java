package dev.switchboard.kernel.plugin;

import java.time.Duration;

/**
 * How the kernel defends its event loops against slow plugin code (see {@link PluginCallGuard}).
 *
 * @param callBudget  a per-request call into a plugin (match, modify, pick, record) slower than this is a strike;
 *                    {@code pluginCallBudget} in the static configuration (default 50 ms); zero turns strikes off
 * @param strikes     strikes within {@code window} that quarantine the extension (3)
 * @param window      (10 s)
 * @param quarantine  how long a quarantined extension is not called before one trial call (30 s)
 * @param stuckAfter  a loop inside one plugin call for longer than this is reported by the watchdog, and the
 *                    extension is quarantined until that call returns (5 s)
 */
public record PluginGuardSettings(Duration callBudget, int strikes, Duration window, Duration quarantine,
                                  Duration stuckAfter) {

    public static final Duration DEFAULT_CALL_BUDGET = Duration.ofMillis(50);

    /** 50 ms, 3 strikes in 10 s, 30 s of quarantine, 5 s until a call counts as stuck. */
    public static final PluginGuardSettings DEFAULTS = new PluginGuardSettings(DEFAULT_CALL_BUDGET, 3,
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(5));

    public PluginGuardSettings {
        if (callBudget.isNegative() || strikes < 1 || window.isNegative() || quarantine.isNegative()
                || stuckAfter.isNegative() || stuckAfter.isZero()) {
            throw new IllegalArgumentException("invalid plugin guard settings");
        }
    }

    /** The defaults with another call budget. */
    public static PluginGuardSettings withCallBudget(Duration budget) {
        return new PluginGuardSettings(budget, DEFAULTS.strikes, DEFAULTS.window, DEFAULTS.quarantine,
                DEFAULTS.stuckAfter);
    }
}
