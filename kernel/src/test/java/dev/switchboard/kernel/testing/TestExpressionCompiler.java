package dev.switchboard.kernel.testing;

import dev.switchboard.spi.breaker.ExpressionCompiler;
import dev.switchboard.spi.breaker.ExpressionException;
import dev.switchboard.spi.breaker.TripCondition;
import org.pf4j.Extension;

/**
 * A breaker expression language for kernel tests ({@code test}), registered on the test class path: {@code always}
 * trips, {@code never} does not, {@code errors > R} trips when the network error ratio exceeds R; anything else is
 * refused at the position of its first character that is not a letter, or 0.
 */
@Extension
public final class TestExpressionCompiler implements ExpressionCompiler {
    @Override
    public String language() {
        return "test";
    }

    @Override
    public TripCondition compile(String expression) throws ExpressionException {
        String e = expression.strip();
        if (e.equals("always")) {
            return m -> true;
        }
        if (e.equals("never")) {
            return m -> false;
        }
        if (e.startsWith("errors > ")) {
            try {
                double r = Double.parseDouble(e.substring("errors > ".length()));
                return m -> m.networkErrorRatio() > r;
            } catch (NumberFormatException ex) {
                throw new ExpressionException("expected a number", expression.indexOf('>') + 2);
            }
        }
        int at = 0;
        while (at < expression.length() && Character.isLetter(expression.charAt(at))) {
            at++;
        }
        throw new ExpressionException("'" + (at < expression.length() ? expression.charAt(at) : "end")
                + "' is not allowed at position " + at, at);
    }
}
