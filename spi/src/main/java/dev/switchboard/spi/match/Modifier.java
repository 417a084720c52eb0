package dev.switchboard.spi.match;

/**
 * Rewrites a request after its frontend was chosen: PathStrip, PathPrefixStrip, AddPrefix, ReplacePath,
 * ReplacePathRegex, or a third party's.
 *
 * <p>Modifiers of one frontend run once per request, in ascending {@link #order()}, Traefik v1's order being
 * {@link #STRIP_PREFIX_REGEX}, {@link #STRIP_PREFIX}, {@link #ADD_PREFIX}, {@link #REPLACE_PATH_REGEX},
 * {@link #REPLACE_PATH}.
 *
 * <p><b>Hot path.</b> Runs on an event loop, from every loop at once: immutable, non-blocking. A modifier that throws
 * makes the request fail with 500 (logged with the plugin's id); the connection and the loop are unaffected.
 */
public interface Modifier {
    int STRIP_PREFIX_REGEX = 100;
    int STRIP_PREFIX = 200;
    int ADD_PREFIX = 300;
    int REPLACE_PATH_REGEX = 400;
    int REPLACE_PATH = 500;

    /** Position in the frontend's modifier chain (ascending). */
    int order();

    /** Rewrites the request; may end the exchange with {@link RequestRewrite#respond(int, String)}. */
    void apply(RequestRewrite request);
}
