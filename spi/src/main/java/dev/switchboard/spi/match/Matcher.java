package dev.switchboard.spi.match;

import dev.switchboard.spi.http.RequestView;

/**
 * Decides whether a request satisfies one rule clause; optionally rewrites a request that was routed by it.
 *
 * <p><b>Hot path.</b> {@link #matches(RequestView)} runs on an event loop for every request the router tries
 * against this clause. It must not block, must not lock on the common path, and should not allocate beyond what a
 * regular expression match needs. It is called from every loop at once: a matcher is immutable or thread-safe.
 *
 * <p><b>Errors.</b> A matcher that throws is treated as "does not match" for that request and logged with the
 * plugin's id; it never affects the connection or the loop.
 */
public interface Matcher {

    /** True if {@code request} satisfies this clause. */
    boolean matches(RequestView request);

    /**
     * The rewrite to apply when a frontend containing this clause is chosen (PathStrip, AddPrefix, ...), or null
     * for a pure matcher.
     */
    default Modifier modifier() {
        return null;
    }

    /**
     * A necessary condition the router may index on: if {@link #matches} is true then the request satisfies the hint.
     * The default, {@link IndexHint#NONE}, tells nothing, and the frontend is tried in priority order. A hint that is
     * wrong makes requests miss this frontend, so only state what is certain.
     */
    default IndexHint indexHint() {
        return IndexHint.NONE;
    }
}
