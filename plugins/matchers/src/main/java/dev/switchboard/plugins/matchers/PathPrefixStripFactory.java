package dev.switchboard.plugins.matchers;

import dev.switchboard.spi.http.RequestView;
import dev.switchboard.spi.match.IndexHint;
import dev.switchboard.spi.match.Matcher;
import dev.switchboard.spi.match.MatcherFactory;
import dev.switchboard.spi.match.Modifier;
import dev.switchboard.spi.match.RuleClause;
import dev.switchboard.spi.match.RuleException;
import java.util.List;
import org.pf4j.Extension;

/**
 * {@code PathPrefixStrip: /api, /v2}: matches as {@code PathPrefix}, then strips the longest matching prefix; the
 * server receives {@code "/" + rest} ({@code /} when empty) with {@code X-Forwarded-Prefix}. Literal prefixes only
 * (Traefik v1 accepted templates that matched but could not be stripped; use {@code PathPrefixStripRegex}).
 */
@Extension
public final class PathPrefixStripFactory implements MatcherFactory {
    @Override
    public String name() {
        return "PathPrefixStrip";
    }

    @Override
    public Matcher create(RuleClause clause) throws RuleException {
        List<String> prefixes = Arguments.required(clause, "path prefixes separated by ','");
        for (String p : prefixes) {
            Arguments.requireSlash(name(), p);
            Arguments.requireLiteral(name(), p, "PathPrefixStripRegex");
        }
        return new Stripping(PathPrefixMatcherFactory.compile(name(), prefixes), new StripPrefix(prefixes, null));
    }

    /** A prefix matcher with a strip modifier. */
    record Stripping(Matcher matcher, Modifier modifier) implements Matcher {
        @Override
        public boolean matches(RequestView request) {
            return matcher.matches(request);
        }

        @Override
        public IndexHint indexHint() {
            return matcher.indexHint();
        }
    }
}
