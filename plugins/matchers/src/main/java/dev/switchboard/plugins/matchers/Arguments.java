package dev.switchboard.plugins.matchers;

import dev.switchboard.spi.match.RuleClause;
import dev.switchboard.spi.match.RuleException;
import java.util.ArrayList;
import java.util.List;

/** Checks shared by the rule functions: argument presence and shape. */
final class Arguments {
    private Arguments() {
    }

    /** The clause's arguments; an empty list is an error (Traefik v1 built a frontend that never matched). */
    static List<String> required(RuleClause clause, String expected) throws RuleException {
        List<String> args = clause.arguments();
        if (args.isEmpty()) {
            throw new RuleException(clause.function() + ": needs at least one argument (" + expected + ")");
        }
        return args;
    }

    /** A path argument must start with '/' (mux refuses it; Traefik v1 swallowed the error). */
    static void requireSlash(String function, String path) throws RuleException {
        if (!path.startsWith("/")) {
            throw new RuleException(function + ": path '" + path + "' must start with '/'");
        }
    }

    /** A literal-only function given a template: Traefik v1 matched but could not strip (404 on every request). */
    static void requireLiteral(String function, String path, String regexAlternative) throws RuleException {
        if (path.indexOf('{') >= 0 || path.indexOf('}') >= 0) {
            throw new RuleException(function + ": '" + path + "' is a template; " + function
                    + " takes literal paths (use " + regexAlternative + " for templates)");
        }
    }

    /**
     * Splits raw argument text as Traefik v1 did for pair functions ({@code Headers}, {@code HeadersRegexp}): on
     * commas outside braces, dropping zero-length pieces and trimming the rest, so that {@code Headers: X-A, }
     * (a blank value) asks only for the field's presence. The kernel's split drops blank pieces, which would lose
     * that value.
     */
    static List<String> splitKeepingBlanks(String raw) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i <= raw.length(); i++) {
            char c = i < raw.length() ? raw.charAt(i) : ',';
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth = Math.max(0, depth - 1);
            } else if (c == ',' && (depth == 0 || i == raw.length())) {
                if (i > start) {
                    out.add(raw.substring(start, i).trim());
                }
                start = i + 1;
            }
        }
        return out;
    }
}
