package dev.switchboard.kernel.net;

import dev.switchboard.kernel.http.HttpHead;
import dev.switchboard.kernel.http.RequestTarget;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Writes the heads the proxy sends: {@code proxyToServerRequest} (hop-by-hop fields removed, Host chosen,
 * X-Forwarded-* set) and {@code proxyToClientResponse} (hop-by-hop fields removed, framing and connection fields
 * set), and the proxy's own short responses. Stateless.
 */
final class HeadEncoder {
    /** RFC 9110 §7.6.1 and what Go's ReverseProxy / oxy remove (reference §5.8). */
    static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "te", "trailer",
            "transfer-encoding", "upgrade", "proxy-authenticate", "proxy-authorization");
    /** Replaced unless the peer is a trusted proxy (reference §5.8, as Traefik v2 chose). */
    static final Set<String> FORWARDED = Set.of("x-forwarded-proto", "x-forwarded-for", "x-forwarded-host",
            "x-forwarded-port", "x-forwarded-server", "x-real-ip", "x-forwarded-uri", "x-forwarded-method");
    /** Never forwarded in a trailer section (RFC 9110 §6.5.1). */
    static final Set<String> NOT_IN_TRAILERS = Set.of("content-length", "transfer-encoding", "host",
            "content-type", "content-encoding", "content-range", "trailer");

    private HeadEncoder() {
    }

    private static final String[] HOP_BY_HOP_NAMES = HOP_BY_HOP.toArray(new String[0]);

    /** Whether field {@code i} of {@code head} is hop-by-hop or named by its Connection field. No allocation. */
    static boolean isHopByHop(HttpHead head, int i) {
        for (String h : HOP_BY_HOP_NAMES) {
            if (head.nameIs(i, h)) {
                return true;
            }
        }
        return head.listedIn("Connection", i);
    }

    /** Whether a modifier replaced field {@code i}'s values with its own. */
    private static boolean replaced(ProxyRequest req, HttpHead head, int i) {
        for (int k = 0; k < req.replacedNames.size(); k++) {
            if (head.nameIs(i, req.replacedNames.get(k))) {
                return true;
            }
        }
        return false;
    }

    private static final String[] FORWARDED_NAMES = FORWARDED.toArray(new String[0]);

    /** The lower-case name of field {@code i} if it is of the forwarded-for family, else null. No allocation. */
    private static String forwardedName(HttpHead head, int i) {
        for (String f : FORWARDED_NAMES) {
            if (head.nameIs(i, f)) {
                return f;
            }
        }
        return null;
    }


    static final class Request {
        /** The path to send (a modifier may have rewritten it); the query is sent as the client sent it. */
        String path;
        RequestTarget target;
        String host;
        String clientIp;
        boolean trusted;
        String serverName;
        boolean chunked;
        long contentLength = -1;
        boolean upgrade;

        void clear() {
            path = null;
            target = null;
            host = null;
            clientIp = null;
            trusted = false;
            serverName = null;
            chunked = false;
            contentLength = -1;
            upgrade = false;
        }
    }

    static void request(ProxyRequest req, Request r, HeadBuffer sb) {
        HttpHead head = req.head();
        sb.reset();
        sb.append(head.method()).append(' ').append(r.path);
        if (r.target.hasQuery()) {
            sb.append('?').append(r.target.original(), r.target.queryStart(), r.target.original().length());
        }
        sb.append(" HTTP/1.1\r\n");
        sb.append("Host: ").append(r.host).append("\r\n");
        String xff = null;
        boolean realIp = false;
        boolean proto = false;
        boolean xfHost = false;
        boolean xfPort = false;
        for (int i = 0; i < head.fieldCount(); i++) {
            if (head.nameIs(i, "host") || head.nameIs(i, "content-length") || replaced(req, head, i)) {
                continue;
            }
            if (isHopByHop(head, i)) {
                continue;
            }
            if (head.versionMinor() == 0 && head.nameIs(i, "expect")) {
                continue; // RFC 9110 §10.1.1: ignore Expect from HTTP/1.0
            }
            String lower = forwardedName(head, i);
            if (lower != null) {
                if (!r.trusted) {
                    continue;
                }
                switch (lower) {
                    case "x-forwarded-for" -> {
                        xff = xff == null ? head.value(i) : xff + ", " + head.value(i);
                        continue;
                    }
                    case "x-real-ip" -> realIp = true;
                    case "x-forwarded-proto" -> proto = true;
                    case "x-forwarded-host" -> xfHost = true;
                    case "x-forwarded-port" -> xfPort = true;
                    case "x-forwarded-server" -> {
                        continue;
                    }
                    default -> {
                    }
                }
            }
            sb.field(head, i);
        }
        for (int i = 0; i < req.extraFields.size(); i += 2) {
            field(sb, req.extraFields.get(i), req.extraFields.get(i + 1));
        }
        if (r.chunked) {
            sb.append("Transfer-Encoding: chunked\r\n");
        } else if (r.contentLength >= 0) {
            sb.append("Content-Length: ").append(r.contentLength).append("\r\n");
        }
        if (r.upgrade) {
            sb.append("Connection: Upgrade\r\nUpgrade: ").append(head.header("Upgrade")).append("\r\n");
        }
        field(sb, "X-Forwarded-For", xff == null ? r.clientIp : xff + ", " + r.clientIp);
        if (!realIp) {
            field(sb, "X-Real-Ip", r.clientIp);
        }
        if (!proto) {
            field(sb, "X-Forwarded-Proto", r.upgrade && "websocket".equalsIgnoreCase(head.header("Upgrade")) ? "ws" : "http");
        }
        String rawHost = req.rawHost();
        if (!xfHost && !rawHost.isEmpty()) {
            field(sb, "X-Forwarded-Host", rawHost);
        }
        if (!xfPort) {
            field(sb, "X-Forwarded-Port", portOf(rawHost, "80"));
        }
        field(sb, "X-Forwarded-Server", r.serverName);
        sb.append("\r\n");
    }

    static String portOf(String authority, String otherwise) {
        int close = authority.lastIndexOf(']');
        int colon = authority.lastIndexOf(':');
        if (colon > close && colon < authority.length() - 1) {
            return authority.substring(colon + 1);
        }
        return otherwise;
    }

    /**
     * The response head for the client: status line (always HTTP/1.1), the server's end-to-end fields, and the
     * framing and connection fields the proxy chose.
     */
    static void response(HttpHead head, boolean chunkedOut, boolean keepLength, String connection,
                         boolean upgrade, HeadBuffer sb) {
        response(head, chunkedOut, keepLength, connection, upgrade, null, sb);
    }

    /** As above, plus a {@code Set-Cookie} field of the proxy's (a sticky session's) unless null. */
    static void response(HttpHead head, boolean chunkedOut, boolean keepLength, String connection,
                         boolean upgrade, String setCookie, HeadBuffer sb) {
        sb.reset();
        sb.append("HTTP/1.1 ").append(head.status()).append(' ').append(head.reason()).append("\r\n");
        for (int i = 0; i < head.fieldCount(); i++) {
            if (!keepLength && head.nameIs(i, "content-length")) {
                continue;
            }
            if (chunkedOut && head.nameIs(i, "trailer")) {
                sb.field(head, i); // announced trailers still follow
                continue;
            }
            if (upgrade && head.nameIs(i, "upgrade")) {
                sb.field(head, i);
                continue;
            }
            if (isHopByHop(head, i)) {
                continue;
            }
            sb.field(head, i);
        }
        if (chunkedOut) {
            sb.append("Transfer-Encoding: chunked\r\n");
        }
        if (connection != null) {
            sb.append("Connection: ").append(connection).append("\r\n");
        }
        if (setCookie != null) {
            field(sb, "Set-Cookie", setCookie);
        }
        sb.append("\r\n");
    }

    /** An interim (1xx) response for the client. */
    static void interim(HttpHead head, HeadBuffer sb) {
        response(head, false, false, null, false, sb);
    }

    /** The proxy's own response: plain text body (or none), optional Location. */
    static ByteBuffer local(int status, String body, String location, boolean close) {
        return local(status, body, location, close, true);
    }

    /**
     * The proxy's own response; {@code withBody} false for a HEAD request: the same fields, Content-Length included,
     * and no body (RFC 9110 §9.3.2), so that the next response on the connection is framed right.
     */
    static ByteBuffer local(int status, String body, String location, boolean close, boolean withBody) {
        StringBuilder sb = new StringBuilder(160);
        sb.append("HTTP/1.1 ").append(status).append(' ').append(HttpStatus.reason(status)).append("\r\n");
        if (location != null) {
            field(sb, "Location", location);
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0) {
            sb.append("Content-Type: text/plain; charset=utf-8\r\n");
        }
        sb.append("Content-Length: ").append(bytes.length).append("\r\n");
        if (close) {
            sb.append("Connection: close\r\n");
        }
        sb.append("\r\n");
        // The head is Latin-1, the body UTF-8 as its Content-Type says (a breaker's fallbackBody may be any text).
        byte[] headBytes = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(headBytes.length + (withBody ? bytes.length : 0));
        out.put(headBytes);
        if (withBody) {
            out.put(bytes);
        }
        out.flip();
        return out;
    }

    /** The last chunk and the trailer fields that may be forwarded. */
    static void lastChunk(String[] trailers, HeadBuffer sb) {
        sb.reset().append("0\r\n");
        for (int i = 0; i < trailers.length; i += 2) {
            String lower = trailers[i].toLowerCase(Locale.ROOT);
            if (!NOT_IN_TRAILERS.contains(lower) && !HOP_BY_HOP.contains(lower)) {
                field(sb, trailers[i], trailers[i + 1]);
            }
        }
        sb.crlf();
    }

    private static void field(StringBuilder sb, String name, String value) {
        sb.append(name).append(": ").append(value).append("\r\n");
    }

    private static void field(HeadBuffer sb, String name, String value) {
        sb.field(name, value);
    }
}
