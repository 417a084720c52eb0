package dev.switchboard.plugins.matchers;

import dev.switchboard.spi.match.RequestRewrite;

/**
 * Traefik v1's strict-slash redirect (mux {@code StrictSlash(true)}, on unless {@code keepTrailingSlash}): a
 * request whose path matched a {@code Path}-like template except for a trailing slash is answered 301 with the
 * template's form, as a relative {@code Location} keeping the query.
 */
final class TrailingSlash {
    private TrailingSlash() {
    }

    /** Answers the redirect and returns true if {@code templates} call for one on this request. */
    static boolean redirectIfNeeded(PathTemplates templates, RequestRewrite request) {
        String path = request.path();
        Template t = templates.firstMatching(path);
        if (t == null) {
            return false;
        }
        String target = t.trailingSlashRedirect(path);
        if (target == null) {
            return false;
        }
        String query = request.query();
        request.respond(301, query.isEmpty() ? target : target + "?" + query);
        return true;
    }
}
