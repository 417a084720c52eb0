package dev.switchboard.spi.http;

import java.util.List;

/**
 * A read-only view of one client request's head, as routing, matchers and balancers see it.
 *
 * <p><b>Thread and lifetime.</b> A view is handed to plugin code on the event loop that owns the connection and is
 * valid only for the duration of that call: do not keep it, and do not call it from another thread. Implementations
 * are not thread-safe.
 *
 * <p><b>Hot path.</b> Every method may be called for every request. Implementations build strings lazily; callers
 * should ask only for what they need.
 */
public interface RequestView {

    /** The request method exactly as sent, for example {@code GET}. Never null. */
    String method();

    /**
     * The canonical host the request is for: the authority of an absolute-form target if present, otherwise the
     * {@code Host} field; trimmed, lower-cased, with any port removed (Traefik v1's {@code RequestHost}). An IPv6
     * literal keeps its brackets ({@code [::1]}). Empty when the request carries none (HTTP/1.0).
     */
    String host();

    /** The {@code Host} field as the client sent it (port included), or the empty string. */
    String rawHost();

    /**
     * The request path the server will receive unless a modifier rewrites it: percent-decoding of unreserved
     * characters applied, dot segments resolved (RFC 3986 §5.2.4). Always starts with {@code /} for origin-form and
     * absolute-form targets; {@code *} for asterisk-form. Routing decisions are made on this same string, so a rule
     * cannot be bypassed by encoding tricks.
     */
    String path();

    /** The query without the leading {@code ?}, exactly as sent (still percent-encoded), or the empty string. */
    String query();

    /**
     * The first value of query parameter {@code name} (names compared exactly, values percent-decoded), or null if
     * the parameter is absent. A parameter present without {@code =} has the empty value.
     */
    String queryParameter(String name);

    /** The first value of the field {@code name} (case-insensitive), or null. */
    String header(String name);

    /** Every value of the field {@code name} in order (case-insensitive); empty if absent. May allocate. */
    List<String> headers(String name);

    /**
     * The client's address, without port and zone (for example {@code 10.0.0.1} or {@code ::1}; IPv6 compressed and
     * lower-case, an IPv4-mapped address as IPv4). It is the TCP peer's address, unless the peer is a trusted proxy
     * of the entry point ({@code forwardedHeaders.trustedIPs}, or {@code forwardedHeaders.insecure = true}): then it
     * is the right-most {@code X-Forwarded-For} entry (all field lines, in order) that is not itself trusted, or the
     * left-most entry if every one is trusted (nginx's {@code real_ip_recursive}). An entry that is not an IP address
     * ends that walk at the last trusted address reached. From an untrusted peer, {@code X-Forwarded-For} is never
     * read, so a client cannot choose its own address.
     */
    String clientAddress();

    /** The name of the entry point the request arrived on. */
    String entryPoint();

    /** True if the request arrived over TLS. */
    boolean secure();
}
