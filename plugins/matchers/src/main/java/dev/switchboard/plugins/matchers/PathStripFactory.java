package dev.switchboard.plugins.matchers;

import dev.switchboard.spi.match.Matcher;
import dev.switchboard.spi.match.MatcherFactory;
import dev.switchboard.spi.match.RuleClause;
import dev.switchboard.spi.match.RuleException;
import java.util.List;
import org.pf4j.Extension;

/**
 * {@code PathStrip: /api}: matches as {@code Path} (exact, trailing-slash redirect included), then strips the
 * matched literal from the path the server receives. Literal paths only: Traefik v1 accepted a template here that
 * matched but could never be stripped (404 on every request); that is an error here (use {@code PathStripRegex}).
 */
@Extension
public final class PathStripFactory implements MatcherFactory {
    @Override
    public String name() {
        return "PathStrip";
    }

    @Override
    public Matcher create(RuleClause clause) throws RuleException {
        List<String> paths = Arguments.required(clause, "paths separated by ','");
        for (String p : paths) {
            Arguments.requireSlash(name(), p);
            Arguments.requireLiteral(name(), p, "PathStripRegex");
        }
        boolean strict = !clause.keepTrailingSlash();
        PathTemplates templates = PathTemplates.compile(name(), paths, Template.Kind.PATH, strict);
        return new PathMatcherFactory.PathMatcher(templates, new StripPrefix(paths, strict ? templates : null));
    }
}
