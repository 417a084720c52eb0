package dev.switchboard.kernel.routing;

import dev.switchboard.spi.match.RuleClause;
import dev.switchboard.spi.match.RuleException;
import dev.switchboard.spi.model.Origin;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a Traefik v1 rule into {@link RuleClause}s exactly as Traefik v1.7's {@code rules.go} does, with one
 * improvement.
 *
 * <ol>
 *   <li>The rule is split on {@code ;} into clauses (AND); empty and blank clauses are dropped.</li>
 *   <li>A clause is split on {@code :} into fields, empty fields dropped; the first, trimmed, is the function name
 *       (case-sensitive); the other fields are joined again with {@code :} (so {@code ::} collapses to {@code :},
 *       as in Traefik v1).</li>
 *   <li>That text is split on {@code ,} into arguments, each trimmed, empty ones dropped. <b>Unlike Traefik v1</b>,
 *       a {@code ,} inside braces does not split, so a template such as {@code {id:[0-9]{2,3}}} stays one argument
 *       (Traefik v1 cut it in two and the rule silently never matched).</li>
 * </ol>
 * A rule that is empty, or a clause without arguments, is an error. Stateless and thread-safe.
 */
public final class RuleTokenizer {
    private RuleTokenizer() {
    }

    public static List<RuleClause> tokenize(String rule, boolean keepTrailingSlash, String frontend, Origin origin)
            throws RuleException {
        if (rule == null || rule.isBlank()) {
            throw new RuleException("empty rule; expected for example \"Host: example.com; PathPrefix: /api\"");
        }
        List<RuleClause> clauses = new ArrayList<>();
        for (String clause : rule.split(";")) {
            if (clause.isBlank()) {
                continue;
            }
            List<String> fields = new ArrayList<>();
            for (String f : clause.split(":")) {
                if (!f.isEmpty()) {
                    fields.add(f);
                }
            }
            String function = fields.isEmpty() ? "" : fields.get(0).trim();
            int colon = clause.indexOf(':');
            String raw = colon < 0 ? "" : clause.substring(colon + 1);
            String joined = String.join(":", fields.subList(Math.min(1, fields.size()), fields.size()));
            List<String> arguments = splitArguments(joined);
            if (function.isEmpty()) {
                throw new RuleException("clause \"" + clause.trim() + "\" has no function name; expected "
                        + "\"Function: value[, value...]\"");
            }
            if (arguments.isEmpty()) {
                throw new RuleException("clause \"" + clause.trim() + "\" has no arguments; expected \"" + function
                        + ": value[, value...]\"");
            }
            clauses.add(new RuleClause(function, raw, arguments, keepTrailingSlash, frontend, origin));
        }
        if (clauses.isEmpty()) {
            throw new RuleException("empty rule \"" + rule + "\"; expected for example \"Host: example.com\"");
        }
        return clauses;
    }

    /** Splits on {@code ,} outside braces; trims; drops empty arguments. */
    static List<String> splitArguments(String text) {
        List<String> args = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : ',';
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth = Math.max(0, depth - 1);
            } else if (c == ',' && (depth == 0 || i == text.length())) {
                String a = text.substring(start, i).trim();
                if (!a.isEmpty()) {
                    args.add(a);
                }
                start = i + 1;
            }
        }
        return args;
    }
}
