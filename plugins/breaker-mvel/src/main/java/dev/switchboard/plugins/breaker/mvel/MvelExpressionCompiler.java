package dev.switchboard.plugins.breaker.mvel;

import dev.switchboard.spi.breaker.BackendMetrics;
import dev.switchboard.spi.breaker.ExpressionCompiler;
import dev.switchboard.spi.breaker.ExpressionException;
import dev.switchboard.spi.breaker.TripCondition;
import org.pf4j.Extension;

import java.io.Serializable;

/**
 * The built-in breaker language, {@code mvel}: Traefik v1's expressions ({@code NetworkErrorRatio() > 0.5}, ...) with
 * the same meaning, plus {@code !}, literals on either side, integers and decimals alike, and arithmetic.
 *
 * <p>An expression is untrusted input (configuration can come from the network). It is tokenized and parsed against
 * the breaker grammar ({@link Parser}) before anything else; anything outside it is refused with the offending token
 * and its position. Only then is a canonical form printed from the validated tree ({@link CanonicalForm}: input
 * variables, numbers, operators, parentheses) and compiled by MVEL under a restricted context. MVEL never sees the
 * user's text, the metrics object, or any name but the input variables.
 *
 * <p>Called off the event loops while a configuration is compiled; thread-safe.
 */
@Extension
public final class MvelExpressionCompiler implements ExpressionCompiler {

    private final CanonicalCompiler mvel;

    public MvelExpressionCompiler() {
        this(new MvelCanonicalCompiler());
    }

    MvelExpressionCompiler(CanonicalCompiler mvel) {
        this.mvel = mvel;
    }

    @Override
    public String language() {
        return "mvel";
    }

    @Override
    public TripCondition compile(String expression) throws ExpressionException {
        Node root = Parser.parse(expression);
        CanonicalForm form = CanonicalForm.of(root);
        Serializable compiled;
        try {
            compiled = mvel.compile(form.text(), form.calls().size());
        } catch (RuntimeException e) {
            // Not expected for a validated expression: a defect here, reported as an invalid expression.
            throw new ExpressionException("MVEL refused the validated expression " + form.text() + ": " + e, -1);
        }
        MvelTripCondition condition = new MvelTripCondition(expression, form, compiled);
        try {
            // One run at load: MVEL optimizes a statement on its first runs, and a defect shows here, not on a check.
            condition.test(NO_TRAFFIC);
        } catch (RuntimeException e) {
            throw new ExpressionException("MVEL could not evaluate the validated expression " + form.text() + ": "
                    + e, -1);
        }
        return condition;
    }

    /** A backend that has seen nothing: every function is 0. */
    private static final BackendMetrics NO_TRAFFIC = new BackendMetrics() {
        @Override
        public double networkErrorRatio() {
            return 0;
        }

        @Override
        public long latencyAtQuantileMs(double quantile) {
            return 0;
        }

        @Override
        public double responseCodeRatio(int startA, int endA, int startB, int endB) {
            return 0;
        }

        @Override
        public long requestCount() {
            return 0;
        }
    };
}
