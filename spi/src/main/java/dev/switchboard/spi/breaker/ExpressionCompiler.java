package dev.switchboard.spi.breaker;

import org.pf4j.ExtensionPoint;

/**
 * Compiles circuit-breaker expressions of one language (the built-in one: Traefik v1's, evaluated with MVEL).
 * A backend chooses the language with {@code circuitBreaker.language}; the default is {@code mvel}.
 *
 * <p><b>Security.</b> Expressions may come from the network (REST, etcd): a compiler must refuse anything that is not
 * a pure expression over the {@link BackendMetrics} functions, numbers, comparisons, arithmetic and logic, and must
 * never run code while compiling or evaluating.
 *
 * <p>Called off the event loops while a configuration is compiled, once per expression; thread-safe.
 */
public interface ExpressionCompiler extends ExtensionPoint {

    /** The language name, for example {@code mvel}. */
    String language();

    /** Compiles {@code expression}; throws with the offending position if it is not valid. */
    TripCondition compile(String expression) throws ExpressionException;
}
