package dev.switchboard.plugins.matchers;

import dev.switchboard.spi.http.RequestView;
import dev.switchboard.spi.match.IndexHint;
import dev.switchboard.spi.match.Matcher;
import dev.switchboard.spi.match.MatcherFactory;
import dev.switchboard.spi.match.Modifier;
import dev.switchboard.spi.match.RequestRewrite;
import dev.switchboard.spi.match.RuleClause;
import dev.switchboard.spi.match.RuleException;
import org.pf4j.Extension;

/**
 * {@code Path: /a, /articles/{id:[0-9]+}}: the whole path matches one of the templates (case-sensitive; a variable
 * without pattern matches one segment, {@code [^/]+}). Unless {@code keepTrailingSlash}, a path that differs from
 * the template only by a trailing slash also matches, and is answered 301 with the template's form.
 */
@Extension
public final class PathMatcherFactory implements MatcherFactory {
    /** Runs before every rewrite: the redirect replaces the whole exchange, as mux's redirect handler did. */
    static final int REDIRECT_ORDER = 0;

    @Override
    public String name() {
        return "Path";
    }

    @Override
    public Matcher create(RuleClause clause) throws RuleException {
        PathTemplates templates = PathTemplates.compile(name(),
                Arguments.required(clause, "paths separated by ','"), Template.Kind.PATH, !clause.keepTrailingSlash());
        return new PathMatcher(templates, clause.keepTrailingSlash() ? null : new RedirectModifier(templates));
    }

    record PathMatcher(PathTemplates templates, Modifier modifier) implements Matcher {
        @Override
        public boolean matches(RequestView request) {
            return templates.matches(request.path());
        }

        @Override
        public IndexHint indexHint() {
            return templates.indexHint();
        }
    }

    record RedirectModifier(PathTemplates templates) implements Modifier {
        @Override
        public int order() {
            return REDIRECT_ORDER;
        }

        @Override
        public void apply(RequestRewrite request) {
            TrailingSlash.redirectIfNeeded(templates, request);
        }
    }
}
