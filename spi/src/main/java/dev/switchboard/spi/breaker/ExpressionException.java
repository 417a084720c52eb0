package dev.switchboard.spi.breaker;

/**
 * An expression that is not valid in the compiler's language, with the 0-based character position of the offending
 * token (or -1 if unknown). The configuration carrying it is rejected.
 */
public class ExpressionException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int position;

    public ExpressionException(String message, int position) {
        super(message);
        this.position = position;
    }

    /** 0-based character offset in the expression, or -1. */
    public int position() {
        return position;
    }
}
