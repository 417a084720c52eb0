package dev.switchboard.kernel.breaker;

import dev.switchboard.spi.breaker.ExpressionCompiler;
import dev.switchboard.spi.breaker.ExpressionException;
import dev.switchboard.spi.breaker.TripCondition;
import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.config.ConfigProblem;
import dev.switchboard.spi.model.Backend;
import dev.switchboard.spi.model.CircuitBreaker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Turns a backend's {@code [circuitBreaker]} section into a {@link dev.switchboard.kernel.breaker.CircuitBreaker}
 * while a configuration is compiled (off the event loops): options parsed, expression compiled by the plugin of its
 * language, every problem reported with file, line and key, so that the snapshot is rejected and the last good one
 * keeps serving (Traefik v1 logged the error and silently dropped the frontend: reference §5.6).
 */
public final class BreakerCompiler {

    private BreakerCompiler() {
    }

    /**
     * @param backend       the backend; its {@code circuitBreaker} must not be null
     * @param compilers     the expression compilers by language (from the plugins, resolved once per generation)
     * @param stripes       event loops that will record outcomes
     * @param previous      the breaker of the same backend in the previous generation, to carry its state over, or
     *                      null (the caller passes it only when the backend is unchanged)
     * @param checkExecutor where condition checks run, or null to run them on the loop whose outcome made one due
     */
    public static dev.switchboard.kernel.breaker.CircuitBreaker compile(Backend backend,
            Map<String, ExpressionCompiler> compilers, int stripes,
            dev.switchboard.kernel.breaker.CircuitBreaker previous, Executor checkExecutor) throws ConfigException {
        CircuitBreaker section = backend.circuitBreaker();
        String prefix = "backends." + backend.name() + ".circuitBreaker";
        List<ConfigProblem> problems = new ArrayList<>();
        BreakerSettings settings = null;
        try {
            settings = BreakerSettings.parse(section.options(), prefix, section.origin());
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
        TripCondition condition = null;
        ExpressionCompiler compiler = compilers.get(section.language());
        if (compiler == null) {
            problems.add(new ConfigProblem(section.origin(), prefix + ".language", "no expression compiler for "
                    + "language '" + section.language() + "'; available: " + new java.util.TreeSet<>(compilers.keySet())));
        } else if (section.expression() == null || section.expression().isBlank()) {
            problems.add(new ConfigProblem(section.origin(), prefix + ".expression", "an expression is required, "
                    + "for example \"NetworkErrorRatio() > 0.5\""));
        } else {
            try {
                condition = compiler.compile(section.expression());
            } catch (ExpressionException e) {
                problems.add(new ConfigProblem(section.origin(), prefix + ".expression",
                        describe(section.expression(), e)));
            } catch (RuntimeException | LinkageError e) {
                problems.add(new ConfigProblem(section.origin(), prefix + ".expression", "the '"
                        + section.language() + "' expression compiler failed: " + e));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return dev.switchboard.kernel.breaker.CircuitBreaker.builder(backend.name(), condition)
                .expression(section.expression())
                .settings(settings)
                .stripes(stripes)
                .checkExecutor(checkExecutor)
                .carryOver(previous != null && previous.backend().equals(backend.name()) ? previous : null)
                .build();
    }

    /** The compiler's message, then the expression with a caret under the offending position. */
    static String describe(String expression, ExpressionException e) {
        String message = "invalid expression: " + e.getMessage();
        int at = e.position();
        if (at < 0 || at > expression.length() || expression.length() > 200 || expression.indexOf('\n') >= 0) {
            return message;
        }
        return message + "\n    " + expression + "\n    " + " ".repeat(at) + "^";
    }
}
