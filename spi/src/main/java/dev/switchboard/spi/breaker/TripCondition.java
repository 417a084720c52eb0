package dev.switchboard.spi.breaker;

/**
 * A compiled breaker expression. Evaluated off the request path (at most every check period, 100 ms by default)
 * by the kernel's breaker; must not block and must be thread-safe. An evaluation that throws counts as false and is
 * logged once per backend.
 */
@FunctionalInterface
public interface TripCondition {

    /** True if the breaker should trip given these metrics. */
    boolean test(BackendMetrics metrics);
}
