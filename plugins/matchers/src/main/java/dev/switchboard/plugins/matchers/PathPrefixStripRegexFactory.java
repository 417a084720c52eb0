package dev.switchboard.plugins.matchers;

import dev.switchboard.spi.match.Matcher;
import dev.switchboard.spi.match.MatcherFactory;
import dev.switchboard.spi.match.RuleClause;
import dev.switchboard.spi.match.RuleException;
import java.util.List;
import org.pf4j.Extension;

/**
 * {@code PathPrefixStripRegex: /api/{version:v[0-9]+}}: matches as {@code PathPrefix}, then strips the part of the
 * path covered by the first template matching at its start, sending it in {@code X-Forwarded-Prefix}.
 */
@Extension
public final class PathPrefixStripRegexFactory implements MatcherFactory {
    @Override
    public String name() {
        return "PathPrefixStripRegex";
    }

    @Override
    public Matcher create(RuleClause clause) throws RuleException {
        List<String> prefixes = Arguments.required(clause, "path prefix templates separated by ','");
        Template[] templates = new Template[prefixes.size()];
        for (int i = 0; i < templates.length; i++) {
            Arguments.requireSlash(name(), prefixes.get(i));
            templates[i] = Template.compile(name(), prefixes.get(i), Template.Kind.PATH_PREFIX, false);
        }
        return new PathPrefixStripFactory.Stripping(PathPrefixMatcherFactory.compile(name(), prefixes),
                new StripPrefixRegex(templates, null));
    }
}
