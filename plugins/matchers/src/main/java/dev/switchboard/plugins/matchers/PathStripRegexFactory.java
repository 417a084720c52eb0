package dev.switchboard.plugins.matchers;

import dev.switchboard.spi.match.Matcher;
import dev.switchboard.spi.match.MatcherFactory;
import dev.switchboard.spi.match.RuleClause;
import dev.switchboard.spi.match.RuleException;
import java.util.List;
import org.pf4j.Extension;

/**
 * {@code PathStripRegex: /api/{version:v[0-9]+}}: matches as {@code Path}, then strips the part of the path the
 * first matching template covers (everything, for an exact match: the server receives {@code /}).
 */
@Extension
public final class PathStripRegexFactory implements MatcherFactory {
    @Override
    public String name() {
        return "PathStripRegex";
    }

    @Override
    public Matcher create(RuleClause clause) throws RuleException {
        List<String> paths = Arguments.required(clause, "path templates separated by ','");
        boolean strict = !clause.keepTrailingSlash();
        PathTemplates templates = PathTemplates.compile(name(), paths, Template.Kind.PATH, strict);
        Template[] prefixes = new Template[paths.size()];
        for (int i = 0; i < prefixes.length; i++) {
            prefixes[i] = Template.compile(name(), paths.get(i), Template.Kind.PATH_PREFIX, false);
        }
        return new PathMatcherFactory.PathMatcher(templates,
                new StripPrefixRegex(prefixes, strict ? templates : null));
    }
}
