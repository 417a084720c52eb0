package dev.switchboard.provider.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** Durations read exactly as Go's time.ParseDuration and flaeg read them. */
class GoDurationTest {

    @Test
    void goSyntaxIsParsedWithEveryUnit() {
        assertEquals(Duration.ofSeconds(10), GoDuration.parse("10s"));
        assertEquals(Duration.ofSeconds(90), GoDuration.parse("1m30s"));
        assertEquals(Duration.ofMillis(100), GoDuration.parse("100ms"));
        assertEquals(Duration.ofMinutes(90), GoDuration.parse("1.5h"));
        assertEquals(Duration.ofNanos(1500), GoDuration.parse("1.5us"));
        assertEquals(Duration.ofNanos(2000), GoDuration.parse("2µs"));
        assertEquals(Duration.ofNanos(7), GoDuration.parse("7ns"));
        assertEquals(Duration.ofMillis(500), GoDuration.parse(".5s"));
        assertEquals(Duration.ofSeconds(1), GoDuration.parse("1.s"));
        assertEquals(Duration.ofHours(-2), GoDuration.parse("-2h"));
        assertEquals(Duration.ZERO, GoDuration.parse("0"));
        assertEquals(Duration.ofMinutes(61).plusSeconds(1), GoDuration.parse("1h1m1s"));
    }

    @Test
    void goRejectsWhatItRejects() {
        for (String bad : new String[] {"", "10", "s", ".s", "10 s", "10sec", "1d", "-", "1h-1m", "1e3s"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GoDuration.parse(bad),
                    bad);
            assertTrue(e.getMessage().contains("expected a Go duration"), e.getMessage());
        }
    }

    @Test
    void settingsAlsoTakeWholeSecondsAsFlaegDid() {
        assertEquals(Duration.ofSeconds(10), GoDuration.parseSetting("10"));
        assertEquals(Duration.ofSeconds(10), GoDuration.parseSetting("10s"));
    }

    @Property
    void formattingThenParsingGivesTheSameDuration(@ForAll @LongRange(min = 0, max = 400_000_000_000_000L) long nanos) {
        Duration d = Duration.ofNanos(nanos);
        assertEquals(d, GoDuration.parse(GoDuration.format(d)));
    }
}
