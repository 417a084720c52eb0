package dev.switchboard.kernel.breaker;

import dev.switchboard.kernel.breaker.CircuitBreaker.State;
import dev.switchboard.spi.breaker.ExpressionCompiler;
import dev.switchboard.spi.breaker.ExpressionException;
import dev.switchboard.spi.breaker.TripCondition;
import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.config.ConfigProblem;
import dev.switchboard.spi.model.Backend;
import dev.switchboard.spi.model.CircuitBreaker;
import dev.switchboard.spi.model.LoadBalancer;
import dev.switchboard.spi.model.Origin;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BreakerCompilerTest {

    private static final Origin ORIGIN = new Origin("dyn.toml", 7);

    /** Accepts "ok", refuses anything else at position 3. */
    private static final ExpressionCompiler FAKE = new ExpressionCompiler() {
        @Override
        public String language() {
            return "mvel";
        }

        @Override
        public TripCondition compile(String expression) throws ExpressionException {
            if (expression.equals("ok")) {
                return m -> m.networkErrorRatio() > 0.5;
            }
            throw new ExpressionException("'x' is not allowed at position 3", 3);
        }
    };

    private static Backend backend(String expression, Map<String, Object> options) {
        return new Backend("api", Map.of(), LoadBalancer.DEFAULT, new CircuitBreaker(expression, null, options, ORIGIN),
                null, null, null, null, ORIGIN);
    }

    private static List<String> problems(Backend b) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> BreakerCompiler.compile(b, Map.of("mvel", FAKE), 1, null, null));
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void validSectionBuildsABreakerWithItsOptions() throws Exception {
        var breaker = BreakerCompiler.compile(backend("ok", Map.of("fallbackDuration", "3s")), Map.of("mvel", FAKE), 2,
                null, null);
        assertEquals("api", breaker.backend());
        assertEquals(Duration.ofSeconds(3), breaker.settings().fallbackDuration());
        assertEquals(2, breaker.metrics().stripes());
    }

    @Test
    void badExpressionAndBadOptionAreBothReportedWithFileLineKeyAndACaret() {
        List<String> problems = problems(backend("NER x", Map.of("checkPeriod", "soon")));
        assertEquals(2, problems.size(), String.join("\n", problems));
        assertEquals("dyn.toml:7: backends.api.circuitBreaker.expression: invalid expression: 'x' is not allowed at "
                + "position 3\n    NER x\n       ^", problems.get(1));
        assertEquals(true, problems.get(0).startsWith("dyn.toml:7: backends.api.circuitBreaker.checkPeriod: "));
    }

    @Test
    void unknownLanguageIsNamedWithTheAvailableOnes() {
        Backend b = new Backend("api", Map.of(), LoadBalancer.DEFAULT,
                new CircuitBreaker("ok", "cel", Map.of(), ORIGIN), null, null, null, null, ORIGIN);
        assertEquals(List.of("dyn.toml:7: backends.api.circuitBreaker.language: no expression compiler for language "
                + "'cel'; available: [mvel]"), problems(b));
    }

    @Test
    void compilerThatThrowsIsAProblemNotACrash() {
        ExpressionCompiler broken = new ExpressionCompiler() {
            @Override
            public String language() {
                return "mvel";
            }

            @Override
            public TripCondition compile(String expression) {
                throw new IllegalStateException("plugin bug");
            }
        };
        ConfigException e = assertThrows(ConfigException.class,
                () -> BreakerCompiler.compile(backend("ok", Map.of()), Map.of("mvel", broken), 1, null, null));
        assertEquals(true, e.getMessage().contains("expression compiler failed: java.lang.IllegalStateException: "
                + "plugin bug"), e.getMessage());
    }

    @Test
    void previousBreakerOfTheSameBackendIsCarriedOver() throws Exception {
        var first = BreakerCompiler.compile(backend("ok", Map.of()), Map.of("mvel", FAKE), 1, null, null);
        first.onOutcome(0, 502, 1_000_000L, 0);
        assertEquals(State.TRIPPED, first.state());
        var second = BreakerCompiler.compile(backend("ok", Map.of()), Map.of("mvel", FAKE), 1, first, null);
        assertEquals(State.TRIPPED, second.state());
        assertSame(first.metrics(), second.metrics());
    }
}
