package dev.switchboard.plugins.matchers;

import dev.switchboard.spi.match.Matcher;
import dev.switchboard.spi.match.MatcherFactory;
import dev.switchboard.spi.match.Modifier;
import dev.switchboard.spi.match.RequestRewrite;
import dev.switchboard.spi.match.RuleClause;
import dev.switchboard.spi.match.RuleException;
import java.util.regex.Pattern;
import org.pf4j.Extension;

/**
 * {@code ReplacePathRegex: ^/api/v2/(.*) /api/$1}: a regular expression and a replacement separated by one space.
 * When the expression matches the path, every match is replaced (Go's {@code ReplaceAllString}, {@code $1} and
 * {@code ${1}} groups), the original path goes in {@code X-Replaced-Path}, and the server receives the result.
 * Matches every request.
 *
 * <p>Differences from Traefik v1, which logged a warning and ignored the clause: anything but exactly two parts,
 * an invalid expression or a reference to a missing group is an error; and the argument is the whole text after
 * the colon, so a comma may appear in the expression (Traefik split on commas and kept the last piece).
 */
@Extension
public final class ReplacePathRegexFactory implements MatcherFactory {
    @Override
    public String name() {
        return "ReplacePathRegex";
    }

    @Override
    public Matcher create(RuleClause clause) throws RuleException {
        String arg = clause.rawArguments().trim();
        String[] parts = arg.split(" ", -1);
        if (arg.isEmpty() || parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new RuleException(name() + ": expected '<regexp> <replacement>' separated by exactly one space,"
                    + " got '" + arg + "' (" + (arg.isEmpty() ? 0 : parts.length) + " part(s))");
        }
        Pattern regex = GoRegex.compile(name(), arg, parts[0], 0, 0);
        GoReplacement replacement = GoReplacement.parse(name(), parts[1], regex);
        return new ModifierOnly(new ReplacePathRegex(regex, replacement));
    }

    private record ReplacePathRegex(Pattern regex, GoReplacement replacement) implements Modifier {
        @Override
        public int order() {
            return REPLACE_PATH_REGEX;
        }

        @Override
        public void apply(RequestRewrite request) {
            String path = request.path();
            java.util.regex.Matcher m = regex.matcher(path);
            if (!m.find()) {
                return;
            }
            String replaced = replacement.replaceAll(m, path);
            request.addHeader(ReplacePathFactory.REPLACED_PATH, path);
            request.setPath(replaced.startsWith("/") ? replaced : "/" + replaced);
        }
    }
}
