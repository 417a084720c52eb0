package dev.switchboard.kernel.http;

/** How the end of a message body is found (RFC 9112 §6.3). */
public enum BodyFraming {
    /** No body at all (a request without Content-Length or Transfer-Encoding, HEAD/1xx/204/304 responses). */
    NONE,
    /** Exactly {@code Content-Length} bytes. */
    LENGTH,
    /** Transfer-Encoding: chunked. */
    CHUNKED,
    /** A response read until the server closes the connection. */
    CLOSE
}
