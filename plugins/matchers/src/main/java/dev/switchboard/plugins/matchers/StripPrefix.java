package dev.switchboard.plugins.matchers;

import dev.switchboard.spi.match.Modifier;
import dev.switchboard.spi.match.RequestRewrite;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Traefik v1's StripPrefix middleware for {@code PathStrip} and {@code PathPrefixStrip}: the first of the literal
 * prefixes (longest first) that the path starts with is removed; the server receives {@code "/"} followed by the rest
 * without its leading slash ({@code /} when nothing is left; {@code PathPrefixStrip: /stat} turns {@code /status}
 * into {@code /us}), and {@code X-Forwarded-Prefix: <prefix>} is added after any the client sent. A path that starts
 * with none of them (only possible if another modifier rewrote it first) is answered 404, as Traefik v1.
 *
 * <p>When {@code redirect} is set ({@code PathStrip} under strict slash), the trailing-slash 301 is decided first.
 */
final class StripPrefix implements Modifier {
    private final String[] prefixes;
    private final PathTemplates redirect;

    StripPrefix(List<String> prefixes, PathTemplates redirect) {
        List<String> sorted = new ArrayList<>(prefixes);
        sorted.sort(Comparator.comparingInt(String::length).reversed()); // stable: ties keep the written order
        this.prefixes = sorted.toArray(new String[0]);
        this.redirect = redirect;
    }

    @Override
    public int order() {
        return STRIP_PREFIX;
    }

    @Override
    public void apply(RequestRewrite request) {
        if (redirect != null && TrailingSlash.redirectIfNeeded(redirect, request)) {
            return;
        }
        String path = request.path();
        for (String prefix : prefixes) {
            if (path.startsWith(prefix)) {
                request.setPath(withLeadingSlash(path.substring(prefix.length())));
                request.addHeader("X-Forwarded-Prefix", prefix);
                return;
            }
        }
        request.respond(404, null);
    }

    /** Go's {@code "/" + strings.TrimPrefix(rest, "/")}. */
    static String withLeadingSlash(String rest) {
        return rest.startsWith("/") ? rest : "/" + rest;
    }

    List<String> prefixes() {
        return List.of(prefixes);
    }
}
