package dev.switchboard.plugins.breaker.mvel;

import dev.switchboard.spi.breaker.ExpressionException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The forms accepted beyond Traefik v1: '!', literal on the left, ints and decimals alike, arithmetic. */
class BeyondTraefikTest {

    private final MvelExpressionCompiler compiler = new MvelExpressionCompiler();

    private boolean eval(String expression, StubMetrics metrics) throws ExpressionException {
        return compiler.compile(expression).test(metrics);
    }

    @Test
    void literalOnTheLeftMeansTheSameAsOnTheRight() throws Exception {
        assertTrue(eval("0.5 < NetworkErrorRatio()", new StubMetrics().networkErrors(0.6)));
        assertFalse(eval("0.5 < NetworkErrorRatio()", new StubMetrics().networkErrors(0.5)));
        assertTrue(eval("200 <= LatencyAtQuantileMS(99)", new StubMetrics().latencyPerPercent(2.03)));
    }

    @Test
    void notNegatesAConditionAndDoubleNotCancels() throws Exception {
        assertFalse(eval("!(NetworkErrorRatio() > 0.5)", new StubMetrics().networkErrors(0.6)));
        assertTrue(eval("!!(NetworkErrorRatio() > 0.5)", new StubMetrics().networkErrors(0.6)));
        assertTrue(eval("!(NetworkErrorRatio() > 0.5) && !(LatencyAtQuantileMS(50) > 100)", new StubMetrics()));
    }

    @Test
    void arithmeticUsesDecimalsSoDivisionIsNotTruncated() throws Exception {
        assertTrue(eval("10 / 4 == 2.5", new StubMetrics()));
        assertTrue(eval("1 / 3 > 0.333", new StubMetrics()));
        assertTrue(eval("1 + 2 * 3 == 7", new StubMetrics()), "'*' before '+'");
        assertTrue(eval("(1 + 2) * 3 == 9", new StubMetrics()));
        assertTrue(eval("10 - 4 - 3 == 3", new StubMetrics()), "left associative");
        assertTrue(eval("NetworkErrorRatio() * 100 > 50", new StubMetrics().networkErrors(0.51)));
    }

    @Test
    void arithmeticIsJavaDoubleArithmetic() throws Exception {
        assertFalse(eval("0.1 + 0.2 == 0.3", new StubMetrics()), "binary floating point, as Java and Go compute");
        assertTrue(eval("0.1 + 0.2 > 0.3", new StubMetrics()));
    }

    @Test
    void unaryMinusNegatesNumbersAndMetrics() throws Exception {
        assertTrue(eval("-NetworkErrorRatio() < -0.5", new StubMetrics().networkErrors(0.6)));
        assertTrue(eval("NetworkErrorRatio() > -1", new StubMetrics()));
        assertTrue(eval("--2 == 2", new StubMetrics()));
        assertTrue(eval("2 - -2 == 4", new StubMetrics()));
    }

    @Test
    void spreadBetweenQuantilesCanBeExpressed() throws Exception {
        String e = "(LatencyAtQuantileMS(99) - LatencyAtQuantileMS(50)) / 2 > 100";
        assertTrue(eval(e, new StubMetrics().latencyPerPercent(5))); // (495 - 250) / 2 = 122.5
        assertFalse(eval(e, new StubMetrics().latencyPerPercent(4))); // (396 - 200) / 2 = 98
    }

    @Test
    void divisionByAMetricThatIsZeroIsFalseNotAnError() throws Exception {
        StubMetrics zero = new StubMetrics().networkErrors(0).fiveXx(0);
        assertFalse(eval("NetworkErrorRatio() / ResponseCodeRatio(500,600,0,600) > 1", zero), "NaN compares false");
        assertTrue(eval("1 / ResponseCodeRatio(500,600,0,600) > 1000", zero), "1/0 is +Infinity");
    }

    @Test
    void divisionByALiteralZeroIsRefusedAtLoad() {
        ExpressionException e = assertThrows(ExpressionException.class,
                () -> compiler.compile("NetworkErrorRatio() / 0 > 1"));
        assertEquals(22, e.position());
    }

    @Test
    void integerAndDecimalCodesAndQuantilesAreAlike() throws Exception {
        StubMetrics m = new StubMetrics().fiveXx(0.7);
        assertTrue(eval("ResponseCodeRatio(500.0, 600, 0, 600.0) > 0.5", m));
        assertEquals("ResponseCodeRatio(500,600,0,600)", m.calls.get(0));
        assertTrue(eval("LatencyAtQuantileMS(99.9) >= 99", new StubMetrics()));
        assertTrue(eval("LatencyAtQuantileMS(.5) == 0", new StubMetrics()));
    }

    @Test
    void canonicalFormIsFullyParenthesizedOverInputsOnly() throws Exception {
        MvelTripCondition c = (MvelTripCondition) compiler.compile(
                "NetworkErrorRatio() > 0.5 || !(LatencyAtQuantileMS(99) >= 200) && -1 < ResponseCodeRatio(500,600,0,600)");
        assertEquals("((f0 > 0.5) || (!((f1 >= 200.0)) && ((0.0 - 1.0) < f2)))", c.canonical());
    }

    @Test
    void compiledConditionEvaluatesConsistentlyFromManyThreads() throws Exception {
        var c = compiler.compile("NetworkErrorRatio() > 0.5 && LatencyAtQuantileMS(99.0) * 2 >= 100");
        StubMetrics yes = new StubMetrics().networkErrors(0.6);
        StubMetrics no = new StubMetrics().networkErrors(0.4);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<Boolean>>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 5_000; i++) {
                        if (!c.test(yes) || c.test(no)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (var f : futures) {
                assertTrue(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
