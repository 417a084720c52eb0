package dev.switchboard.plugins.matchers;

import dev.switchboard.spi.match.IndexHint;
import dev.switchboard.spi.match.RuleException;
import java.util.ArrayList;
import java.util.List;

/**
 * The OR'ed path templates of one clause ({@code Path: /a, /b/{id}}), tried in the order written, as the mux
 * sub-router Traefik v1 built for them. Immutable.
 */
final class PathTemplates {
    private final Template[] templates;

    private PathTemplates(Template[] templates) {
        this.templates = templates;
    }

    static PathTemplates compile(String function, List<String> paths, Template.Kind kind, boolean strictSlash)
            throws RuleException {
        List<Template> list = new ArrayList<>();
        for (String p : paths) {
            Arguments.requireSlash(function, p);
            list.add(Template.compile(function, p, kind, strictSlash));
        }
        return new PathTemplates(list.toArray(new Template[0]));
    }

    boolean matches(String path) {
        for (Template t : templates) {
            if (t.matches(path)) {
                return true;
            }
        }
        return false;
    }

    /** The first template that matches {@code path} (the one mux's sub-router picks), or null. */
    Template firstMatching(String path) {
        for (Template t : templates) {
            if (t.matches(path)) {
                return t;
            }
        }
        return null;
    }

    /** Every match starts with one of the templates' literal heads. */
    IndexHint indexHint() {
        List<String> heads = new ArrayList<>();
        for (Template t : templates) {
            if (t.literalHead().isEmpty()) {
                return IndexHint.NONE;
            }
            heads.add(t.literalHead());
        }
        return IndexHint.pathPrefixes(heads);
    }
}
