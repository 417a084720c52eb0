package dev.switchboard.spi.model;

import java.util.Map;

/**
 * {@code [backends.B.circuitBreaker] expression = "NetworkErrorRatio() > 0.5"}.
 *
 * @param expression the trip condition
 * @param language   the expression language ({@code mvel} by default)
 * @param options    extension keys (durations, minimum volume, fallback), documented in {@code docs/}
 */
public record CircuitBreaker(String expression, String language, Map<String, Object> options, Origin origin) {
    public CircuitBreaker {
        language = language == null || language.isBlank() ? "mvel" : language;
        options = Map.copyOf(options);
    }
}
