package dev.switchboard.plugins.matchers;

import dev.switchboard.spi.http.RequestView;
import dev.switchboard.spi.match.IndexHint;
import dev.switchboard.spi.match.Matcher;
import dev.switchboard.spi.match.MatcherFactory;
import dev.switchboard.spi.match.RuleClause;
import dev.switchboard.spi.match.RuleException;
import java.util.ArrayList;
import java.util.List;
import org.pf4j.Extension;

/**
 * {@code PathPrefix: /api, /v{n:[0-9]+}}: the path starts with one of the prefixes. A literal prefix is a plain
 * string prefix with no segment boundary ({@code /foo} matches {@code /foobar}, as in Traefik v1); a template is
 * matched at the start of the path only (nothing required after it).
 */
@Extension
public final class PathPrefixMatcherFactory implements MatcherFactory {
    @Override
    public String name() {
        return "PathPrefix";
    }

    @Override
    public Matcher create(RuleClause clause) throws RuleException {
        return compile(name(), Arguments.required(clause, "path prefixes separated by ','"));
    }

    static PrefixMatcher compile(String function, List<String> prefixes) throws RuleException {
        List<String> literals = new ArrayList<>();
        List<Template> templates = new ArrayList<>();
        List<String> heads = new ArrayList<>();
        for (String p : prefixes) {
            Arguments.requireSlash(function, p);
            if (p.indexOf('{') >= 0 || p.indexOf('}') >= 0) {
                Template t = Template.compile(function, p, Template.Kind.PATH_PREFIX, false);
                templates.add(t);
                heads.add(t.literalHead());
            } else {
                literals.add(p);
                heads.add(p);
            }
        }
        IndexHint hint = heads.contains("") ? IndexHint.NONE : IndexHint.pathPrefixes(heads);
        return new PrefixMatcher(literals.toArray(new String[0]), templates.toArray(new Template[0]), hint);
    }

    record PrefixMatcher(String[] literals, Template[] templates, IndexHint indexHint) implements Matcher {
        @Override
        public boolean matches(RequestView request) {
            String path = request.path();
            for (String p : literals) {
                if (path.startsWith(p)) {
                    return true;
                }
            }
            for (Template t : templates) {
                if (t.matches(path)) {
                    return true;
                }
            }
            return false;
        }
    }
}
