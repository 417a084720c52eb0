package dev.switchboard.plugins.matchers;

import dev.switchboard.spi.match.Modifier;
import dev.switchboard.spi.match.RequestRewrite;

/**
 * Traefik v1's StripPrefixRegex middleware for {@code PathStripRegex} and {@code PathPrefixStripRegex}: the first
 * template (in the order written) that matches at the start of the path gives the prefix, which is cut from the path
 * and sent in {@code X-Forwarded-Prefix}. Beyond Traefik v1: the rest always starts with {@code /} (Traefik sent
 * {@code b} for {@code /a/b} stripped of {@code /a/}); no template matching is answered 404, as Traefik v1.
 */
final class StripPrefixRegex implements Modifier {
    private final Template[] prefixes;
    private final PathTemplates redirect;

    StripPrefixRegex(Template[] prefixes, PathTemplates redirect) {
        this.prefixes = prefixes;
        this.redirect = redirect;
    }

    @Override
    public int order() {
        return STRIP_PREFIX_REGEX;
    }

    @Override
    public void apply(RequestRewrite request) {
        if (redirect != null && TrailingSlash.redirectIfNeeded(redirect, request)) {
            return;
        }
        String path = request.path();
        for (Template t : prefixes) {
            int n = t.prefixLength(path);
            if (n >= 0) {
                request.setPath(StripPrefix.withLeadingSlash(path.substring(n)));
                request.addHeader("X-Forwarded-Prefix", path.substring(0, n));
                return;
            }
        }
        request.respond(404, null);
    }
}
