package dev.switchboard.spi.match;

import java.util.List;
import java.util.Set;

/**
 * What a {@link Matcher} guarantees about every request it matches, so the router can index frontends instead of
 * trying each in turn. Immutable.
 *
 * @param hosts        if non-null, every matching request's {@link dev.switchboard.spi.http.RequestView#host()} is one
 *                     of these (lower-case, no port)
 * @param pathPrefixes if non-null, every matching request's path starts with one of these (byte-wise, case-sensitive)
 */
public record IndexHint(Set<String> hosts, List<String> pathPrefixes) {
    /** No guarantee. */
    public static final IndexHint NONE = new IndexHint(null, null);

    public IndexHint {
        hosts = hosts == null ? null : Set.copyOf(hosts);
        pathPrefixes = pathPrefixes == null ? null : List.copyOf(pathPrefixes);
    }

    /** Matching requests are for one of {@code hosts} (lower-case, no port). */
    public static IndexHint hosts(Set<String> hosts) {
        return new IndexHint(hosts, null);
    }

    /** Matching requests have a path starting with one of {@code prefixes}. */
    public static IndexHint pathPrefixes(List<String> prefixes) {
        return new IndexHint(null, prefixes);
    }
}
