package dev.switchboard.spi.breaker;

/**
 * A backend's recent outcomes over a rolling window (10 s by default), as a {@link TripCondition} sees them.
 * The functions are those of Traefik v1's breaker expressions, with the same meaning.
 *
 * <p>Read off the event loops, while a breaker evaluates its condition; values are a consistent-enough merge of the
 * loops' stripes. Thread-safe.
 */
public interface BackendMetrics {

    /** Network errors (outcomes 502 or 504, produced by the proxy or answered by a server) over all requests; 0 when there were none. */
    double networkErrorRatio();

    /** The latency at {@code quantile} percent (0 to 100), in whole milliseconds (truncated). */
    long latencyAtQuantileMs(double quantile);

    /**
     * Requests with a status in [{@code startA}, {@code endA}) over requests with a status in [{@code startB},
     * {@code endB}); 0 when the denominator is 0.
     */
    double responseCodeRatio(int startA, int endA, int startB, int endB);

    /** Requests counted in the window. */
    long requestCount();
}
