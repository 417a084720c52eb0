package dev.switchboard.plugins.matchers;

import dev.switchboard.spi.match.RuleException;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles the regular expressions users write in rules (Go RE2 syntax in Traefik v1) with {@link Pattern}.
 *
 * <p>The common syntax is the same. Go's {@code (?P<name>...)} groups are accepted and become Java's
 * {@code (?<name>...)}. Java accepts a few constructs RE2 refuses (look-around, back-references); they are allowed.
 * A syntax error becomes a {@link RuleException} naming the expression, what is wrong and the position in it.
 */
final class GoRegex {
    private GoRegex() {
    }

    /** Translates Go-only syntax to Java's, without changing positions other than the removed {@code P}. */
    static String toJava(String goRegex) {
        return goRegex.replace("(?P<", "(?<");
    }

    /**
     * Compiles {@code regex} (Go syntax) for {@code function}.
     *
     * @param offset where {@code regex} starts in the argument the user wrote, to report positions in that argument
     */
    static Pattern compile(String function, String argument, String regex, int offset, int flags) throws RuleException {
        try {
            return Pattern.compile(toJava(regex), flags);
        } catch (PatternSyntaxException e) {
            throw syntaxError(function, argument, regex, offset, e);
        }
    }

    static RuleException syntaxError(String function, String argument, String regex, int offset,
                                     PatternSyntaxException e) {
        int index = e.getIndex();
        StringBuilder message = new StringBuilder()
                .append(function).append(": invalid regular expression '").append(regex).append('\'');
        if (!argument.equals(regex)) {
            message.append(" in '").append(argument).append('\'');
        }
        message.append(": ").append(e.getDescription());
        if (index >= 0) {
            message.append(" at position ").append(offset + Math.min(index, regex.length()));
            if (!argument.equals(regex) || offset != 0) {
                message.append(" of the argument");
            }
        }
        return new RuleException(message.toString(), e);
    }
}
