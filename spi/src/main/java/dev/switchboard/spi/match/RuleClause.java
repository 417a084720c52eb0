package dev.switchboard.spi.match;

import dev.switchboard.spi.model.Origin;
import java.util.List;

/**
 * One clause of a Traefik v1 rule, such as {@code PathPrefix: /api, /v2} out of
 * {@code Host: a.com; PathPrefix: /api, /v2}, as the kernel's tokenizer split it.
 *
 * <p>The kernel splits a rule on {@code ;} into clauses (AND) and each clause at its first {@code :} into the
 * function name and the argument text; the argument text is split on {@code ,} into {@link #arguments()}, each
 * trimmed, except that a {@code ,} inside braces (a template such as {@code {id:[0-9]{2,3}}}) does not split.
 * What the arguments mean (OR'ed values, key/value pairs, ...) is the factory's business.
 *
 * @param function          the function name as written, for example {@code PathPrefix}
 * @param rawArguments      everything after the first {@code :}, untrimmed
 * @param arguments         the split, trimmed, non-empty arguments
 * @param keepTrailingSlash the static {@code keepTrailingSlash} setting (false: Traefik v1's 301 trailing-slash
 *                          redirects for {@code Path} rules)
 * @param frontend          the frontend the rule belongs to, for messages
 * @param origin            where the rule was written, for messages
 */
public record RuleClause(String function, String rawArguments, List<String> arguments, boolean keepTrailingSlash,
                         String frontend, Origin origin) {
    public RuleClause {
        arguments = List.copyOf(arguments);
    }
}
