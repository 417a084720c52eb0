package dev.switchboard.kernel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.config.ConfigException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code pluginCallBudget}: the slow-call budget of per-request plugin calls (docs/plugin-isolation.md). */
class PluginCallBudgetConfigTest {

    private static StaticConfig parse(String toml) throws ConfigException {
        return StaticConfigLoader.parse(toml, null, "traefik.toml");
    }

    @Test
    void budgetDefaultsTo50Milliseconds() throws ConfigException {
        assertEquals(Duration.ofMillis(50), parse("").pluginCallBudget());
    }

    @Test
    void budgetIsAGoDurationAndZeroTurnsStrikesOff() throws ConfigException {
        assertEquals(Duration.ofMillis(200), parse("pluginCallBudget = \"200ms\"").pluginCallBudget());
        assertEquals(Duration.ZERO, parse("PluginCallBudget = \"0s\"").pluginCallBudget());
    }

    @Test
    void negativeOrMalformedBudgetIsAnErrorNamingTheKeyAndLine() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("\npluginCallBudget = \"-5ms\""));
        assertTrue(e.getMessage().contains("pluginCallBudget") && e.getMessage().contains(":2"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> parse("pluginCallBudget = \"soon\""));
        assertTrue(e.getMessage().contains("pluginCallBudget"), e.getMessage());
    }
}
