package dev.switchboard.plugins.breaker.mvel;

import dev.switchboard.spi.breaker.ExpressionException;
import dev.switchboard.spi.breaker.TripCondition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rows of the reference's §5.6 validation table, and the operators, evaluated as Traefik v1 did. */
class TraefikExpressionsTest {

    private final MvelExpressionCompiler compiler = new MvelExpressionCompiler();

    private boolean eval(String expression, StubMetrics metrics) throws ExpressionException {
        return compiler.compile(expression).test(metrics);
    }

    @Test
    void languageIsMvel() {
        assertEquals("mvel", compiler.language());
    }

    @Test
    void networkErrorRatioAboveHalfTripsOnlyAboveHalf() throws Exception {
        TripCondition c = compiler.compile("NetworkErrorRatio() > 0.5");
        assertFalse(c.test(new StubMetrics().networkErrors(0.5)));
        assertTrue(c.test(new StubMetrics().networkErrors(0.51)));
        assertFalse(c.test(new StubMetrics().networkErrors(0)));
    }

    @Test
    void latencyQuantileIsInPercentAndComparedInWholeMilliseconds() throws Exception {
        StubMetrics m = new StubMetrics().latencyPerPercent(1.0); // p50 = 50 ms
        TripCondition c = compiler.compile("LatencyAtQuantileMS(50.0) > 50");
        assertFalse(c.test(m));
        assertEquals(List.of("LatencyAtQuantileMS(50.0)"), m.calls, "the quantile reaches the metrics in percent");
        assertTrue(c.test(new StubMetrics().latencyPerPercent(1.03))); // 51.5 ms truncated to 51
        assertFalse(compiler.compile("LatencyAtQuantileMS(50.0) > 51").test(new StubMetrics().latencyPerPercent(1.03)),
                "51.5 ms counts as 51 whole milliseconds");
    }

    @Test
    void responseCodeRatioPassesItsFourBoundsInOrder() throws Exception {
        StubMetrics m = new StubMetrics().fiveXx(0.6);
        assertTrue(compiler.compile("ResponseCodeRatio(500, 600, 0, 600) > 0.5").test(m));
        assertEquals(List.of("ResponseCodeRatio(500,600,0,600)"), m.calls);
        assertFalse(eval("ResponseCodeRatio(500, 600, 0, 600) > 0.5", new StubMetrics().fiveXx(0.5)));
    }

    @Test
    void parenthesizedConjunctionFromTheTable() throws Exception {
        String e = "(NetworkErrorRatio() > 0.1) && (ResponseCodeRatio(500,600,0,600) > 0.3)";
        assertTrue(eval(e, new StubMetrics().networkErrors(0.2).fiveXx(0.4)));
        assertFalse(eval(e, new StubMetrics().networkErrors(0.2).fiveXx(0.3)));
        assertFalse(eval(e, new StubMetrics().networkErrors(0.1).fiveXx(0.4)));
    }

    @Test
    void disjunctionWithGreaterOrEqualFromTheTable() throws Exception {
        String e = "NetworkErrorRatio() > 0.5 || LatencyAtQuantileMS(99.0) >= 200";
        assertTrue(eval(e, new StubMetrics().networkErrors(0.6).latencyPerPercent(0)));
        assertTrue(eval(e, new StubMetrics().networkErrors(0).latencyPerPercent(200.0 / 99 + 1e-9)));
        assertFalse(eval(e, new StubMetrics().networkErrors(0.5).latencyPerPercent(199.0 / 99 + 1e-9)));
    }

    @ParameterizedTest(name = "{0} with ratio {1} is {2}")
    @CsvSource(delimiter = '|', value = {
        "NetworkErrorRatio() == 0.25 | 0.25 | true",
        "NetworkErrorRatio() == 0.25 | 0.26 | false",
        "NetworkErrorRatio() != 0.25 | 0.25 | false",
        "NetworkErrorRatio() != 0.25 | 0.3  | true",
        "NetworkErrorRatio() < 0.25  | 0.2  | true",
        "NetworkErrorRatio() < 0.25  | 0.25 | false",
        "NetworkErrorRatio() <= 0.25 | 0.25 | true",
        "NetworkErrorRatio() <= 0.25 | 0.3  | false",
        "NetworkErrorRatio() > 0.25  | 0.25 | false",
        "NetworkErrorRatio() >= 0.25 | 0.25 | true",
        "NetworkErrorRatio() >= 0.25 | 0.2  | false",
    })
    void everyComparisonOperatorMeansWhatItMeansInGo(String expression, double ratio, boolean expected)
            throws Exception {
        assertEquals(expected, eval(expression, new StubMetrics().networkErrors(ratio)));
    }

    @Test
    void andBindsTighterThanOrAsInGo() throws Exception {
        // a || b && c  ==  a || (b && c)
        String e = "NetworkErrorRatio() > 0.5 || NetworkErrorRatio() > 0.1 && ResponseCodeRatio(500,600,0,600) > 0.9";
        assertTrue(eval(e, new StubMetrics().networkErrors(0.6).fiveXx(0)));
        assertFalse(eval(e, new StubMetrics().networkErrors(0.2).fiveXx(0)));
    }

    @Test
    void traefikSpellingsThatWereErrorsThereAreAcceptedHere() throws Exception {
        // Traefik v1 refused these for typing reasons only (reference §5.6); the meaning is unambiguous.
        assertTrue(eval("NetworkErrorRatio() > 0", new StubMetrics().networkErrors(0.1)));
        assertTrue(eval("LatencyAtQuantileMS(50) > 49", new StubMetrics()));
        assertFalse(eval("LatencyAtQuantileMS(50.0) > 50.0", new StubMetrics()));
        assertTrue(eval("!(NetworkErrorRatio() > 0.5)", new StubMetrics().networkErrors(0.2)));
    }

    @Test
    void wordOperatorsAreStillRefusedAsInTraefik() {
        ExpressionException e = assertThrows(ExpressionException.class,
                () -> compiler.compile("NetworkErrorRatio() > 0.5 AND LatencyAtQuantileMS(50.0) > 50"));
        assertEquals(26, e.position());
        assertTrue(e.getMessage().contains("'AND'"), e.getMessage());
    }

    @Test
    void bareMetricIsNotAConditionAsInTraefik() {
        ExpressionException e = assertThrows(ExpressionException.class, () -> compiler.compile("NetworkErrorRatio()"));
        assertEquals(0, e.position());
        assertTrue(e.getMessage().contains("not a condition"), e.getMessage());
    }
}
