package dev.switchboard.spi.match;

import dev.switchboard.spi.http.RequestView;

/**
 * The mutable side of a request while its frontend's {@link Modifier}s run. Valid only during
 * {@link Modifier#apply(RequestRewrite)}, on the event loop that owns the request; not thread-safe.
 *
 * <p>{@link #path()} reflects the rewrites made so far; the server receives the final path followed by the original
 * query.
 */
public interface RequestRewrite extends RequestView {

    /** Replaces the path the server receives. Must start with {@code /}. */
    void setPath(String path);

    /** Adds a field to the request forwarded to the server (after any the client sent). */
    void addHeader(String name, String value);

    /** Sets a field on the request forwarded to the server, replacing any values it had. */
    void setHeader(String name, String value);

    /**
     * Ends the exchange without contacting a server: the client gets {@code status} with {@code Location:
     * location} if location is non-null (for a redirect), or an empty body otherwise.
     */
    void respond(int status, String location);
}
