package dev.switchboard.spi.model;

import java.time.Duration;
import java.util.Map;

/** {@code [frontends.F.ratelimit] extractorfunc} with {@code rateset.NAME} entries. */
public record RateLimit(String extractorFunc, Map<String, RateSet> rateSet) {
    public RateLimit {
        rateSet = Map.copyOf(rateSet);
    }

    /** {@code period}, {@code average}, {@code burst}. */
    public record RateSet(Duration period, long average, long burst) {
    }
}
