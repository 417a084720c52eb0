package dev.switchboard.kernel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationTest {
    @Test
    void goSyntaxAndBareSecondsAreAccepted() {
        assertEquals(Duration.ofSeconds(10), GoDuration.parse("10s"));
        assertEquals(Duration.ofSeconds(10), GoDuration.parse("10"));
        assertEquals(Duration.ofSeconds(90), GoDuration.parse("1m30s"));
        assertEquals(Duration.ofMillis(1500), GoDuration.parse("1.5s"));
        assertEquals(Duration.ofMillis(250), GoDuration.parse("250ms"));
        assertEquals(Duration.ofNanos(3_000), GoDuration.parse("3µs"));
        assertEquals(Duration.ofHours(2).plusMinutes(45), GoDuration.parse("2h45m"));
        assertEquals(Duration.ZERO, GoDuration.parse("0"));
        assertEquals(Duration.ofSeconds(-5), GoDuration.parse("-5s"));
    }

    @Test
    void malformedDurationsAreRefusedWithTheReason() {
        assertEquals("unknown unit \"d\" in duration \"3d\"",
                assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("3d")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("s"));
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("1.2.3s"));
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse(""));
    }

    @net.jqwik.api.Property(tries = 500)
    void formattedDurationsParseBackToThemselves(
            @net.jqwik.api.ForAll @net.jqwik.api.constraints.LongRange(min = 0, max = 400_000_000L) long millis) {
        Duration d = Duration.ofMillis(millis);
        assertEquals(d, GoDuration.parse(GoDuration.format(d)));
    }

    @Test
    void formatIsGoLike() {
        assertEquals("1m30s", GoDuration.format(Duration.ofSeconds(90)));
        assertEquals("250ms", GoDuration.format(Duration.ofMillis(250)));
        assertEquals("0s", GoDuration.format(Duration.ZERO));
        assertEquals("1h0m5s", GoDuration.format(Duration.ofSeconds(3605)));
    }
}
