package dev.switchboard.kernel.breaker;

import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.config.ConfigProblem;
import dev.switchboard.spi.model.Origin;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BreakerSettingsTest {

    private static final Origin ORIGIN = new Origin("dyn.toml", 12);

    private static BreakerSettings parse(Map<String, ?> options) throws ConfigException {
        return BreakerSettings.parse(options, "backends.api.circuitBreaker", ORIGIN);
    }

    private static List<String> problems(Map<String, ?> options) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(options));
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void noOptionsGiveTraefikV1Defaults() throws Exception {
        BreakerSettings s = parse(Map.of());
        assertEquals(Duration.ofSeconds(10), s.fallbackDuration());
        assertEquals(Duration.ofSeconds(10), s.recoveryDuration());
        assertEquals(Duration.ofMillis(100), s.checkPeriod());
        assertEquals(Duration.ofSeconds(10), s.window());
        assertEquals(Duration.ofSeconds(1), s.bucket());
        assertEquals(0, s.minRequests());
        assertEquals(new BreakerSettings.Fallback(503, "Service Unavailable", null), s.fallback());
    }

    @Test
    void goDurationsBareSecondsAndNumbersAreRead() throws Exception {
        BreakerSettings s = parse(Map.of("fallbackDuration", "1m30s", "recoveryDuration", 5, "checkPeriod", "250ms",
                "window", "30s", "minRequests", 20, "fallbackStatus", 429, "fallbackBody", "slow down"));
        assertEquals(Duration.ofSeconds(90), s.fallbackDuration());
        assertEquals(Duration.ofSeconds(5), s.recoveryDuration());
        assertEquals(Duration.ofMillis(250), s.checkPeriod());
        assertEquals(Duration.ofSeconds(3), s.bucket());
        assertEquals(20, s.minRequests());
        assertEquals(new BreakerSettings.Fallback(429, "slow down", null), s.fallback());
    }

    @Test
    void goDurationForms() {
        assertEquals(Duration.ofMillis(1500), BreakerSettings.parseGoDuration("1.5s"));
        assertEquals(Duration.ofMinutes(62).plusMillis(500), BreakerSettings.parseGoDuration("1h2m0.5s"));
        assertEquals(Duration.ofNanos(1500), BreakerSettings.parseGoDuration("1us500ns"));
        assertEquals(Duration.ofNanos(2000), BreakerSettings.parseGoDuration("2µs"));
        assertNull(BreakerSettings.parseGoDuration("10"), "a unit is required except for 0");
        assertNull(BreakerSettings.parseGoDuration("10S"), "units are case-sensitive as in Go");
        assertNull(BreakerSettings.parseGoDuration("-1s"));
        assertNull(BreakerSettings.parseGoDuration("1..5s"));
        assertNull(BreakerSettings.parseGoDuration("s"));
        assertNull(BreakerSettings.parseGoDuration("25h"), "beyond the 24 h bound");
    }

    @Test
    void durationsArePrintedAsWrittenInGo() {
        assertEquals("10s", BreakerSettings.format(Duration.ofSeconds(10)));
        assertEquals("100ms", BreakerSettings.format(Duration.ofMillis(100)));
        assertEquals("1.5s", BreakerSettings.format(Duration.ofMillis(1500)));
        assertEquals("1m30s", BreakerSettings.format(Duration.ofSeconds(90)));
        assertEquals("2h0m0s", BreakerSettings.format(Duration.ofHours(2)));
        assertEquals("250µs", BreakerSettings.format(Duration.ofNanos(250_000)));
    }

    @Test
    void redirectFallbackAnswers302Found() throws Exception {
        BreakerSettings s = parse(Map.of("fallbackRedirect", "https://status.example.com/maintenance"));
        assertEquals(new BreakerSettings.Fallback(302, "Found", "https://status.example.com/maintenance"),
                s.fallback());
    }

    @Test
    void everyBadOptionIsReportedWithItsKeyLineAndWhatWasExpected() {
        List<String> problems = problems(Map.of("fallbackDuration", "ten seconds", "checkPeriod", "0s",
                "minRequests", -1, "fallbackStatus", 302, "fallbackBody", 5, "window", "7s5ms", "fallbackDurration",
                "1s"));
        assertEquals(7, problems.size(), String.join("\n", problems));
        assertTrue(problems.contains("dyn.toml:12: backends.api.circuitBreaker.fallbackDuration: expected a positive "
                + "duration up to 24h such as \"10s\", \"1m30s\", \"100ms\" or a whole number of seconds, got ten "
                + "seconds"), String.join("\n", problems));
        assertTrue(problems.stream().anyMatch(p -> p.contains(".fallbackDurration: unknown circuit-breaker option; "
                + "expected one of [checkPeriod, fallbackBody,")), String.join("\n", problems));
        assertTrue(problems.stream().anyMatch(p -> p.contains(".checkPeriod: expected a positive duration")));
        assertTrue(problems.stream().anyMatch(p -> p.contains(".minRequests: expected a whole number")));
        assertTrue(problems.stream().anyMatch(p -> p.contains(".fallbackStatus: expected a status from 200 to 599 "
                + "other than 3xx")));
        assertTrue(problems.stream().anyMatch(p -> p.contains(".fallbackBody: expected a string")));
        assertTrue(problems.stream().anyMatch(p -> p.contains(".window: expected a duration from 1s to 10m")));
    }

    @Test
    void redirectWithStatusOrBadUrlIsRefused() {
        assertTrue(problems(Map.of("fallbackRedirect", "https://x.test/", "fallbackStatus", 503)).get(0)
                .contains(".fallbackRedirect: a redirect fallback answers 302"));
        assertTrue(problems(Map.of("fallbackRedirect", "javascript:alert(1)")).get(0)
                .contains(".fallbackRedirect: expected an absolute http:// or https:// URL"));
        assertTrue(problems(Map.of("fallbackRedirect", "https://x.test/\r\nSet-Cookie: a=b")).get(0)
                .contains(".fallbackRedirect: expected an absolute http"));
        assertTrue(problems(Map.of("fallbackRedirect", "/relative")).get(0).contains(".fallbackRedirect:"));
    }

    @Test
    void durationGivenAsADecimalOrABooleanIsRefused() {
        assertTrue(problems(Map.of("recoveryDuration", 2.5)).get(0).contains(".recoveryDuration: expected"));
        assertTrue(problems(Map.of("recoveryDuration", true)).get(0).contains(".recoveryDuration: expected"));
    }
}
