package dev.switchboard.spi.match;

/**
 * Thrown by a {@link MatcherFactory} when a clause's arguments are invalid. The message says what is wrong and what
 * was expected (for a regular expression, the position in it); the kernel adds frontend, route, file and line.
 * A configuration that provokes it is rejected whole, and the last good configuration keeps serving.
 */
public class RuleException extends Exception {
    private static final long serialVersionUID = 1L;

    public RuleException(String message) {
        super(message);
    }

    public RuleException(String message, Throwable cause) {
        super(message, cause);
    }
}
