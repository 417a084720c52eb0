package dev.switchboard.kernel.http;

import java.util.ArrayList;
import java.util.List;

/**
 * The head of one parsed request or response: start line, header fields as received (names as sent, values with
 * surrounding whitespace removed), and the body framing the parser derived from them. Created by {@link Http1Parser}
 * once per message; owned by the connection that parsed it and used only on its event loop.
 */
public final class HttpHead {
    private final String method;
    private final String target;
    private final int versionMinor;
    private final int status;
    private final String reason;
    private final String[] names;
    private final String[] values;
    private final int fieldCount;
    private final BodyFraming framing;
    private final long contentLength;
    private final RequestTarget parsedTarget;

    HttpHead(String method, String target, int versionMinor, int status, String reason, String[] names,
             String[] values, int fieldCount, BodyFraming framing, long contentLength, RequestTarget parsedTarget) {
        this.method = method;
        this.target = target;
        this.versionMinor = versionMinor;
        this.status = status;
        this.reason = reason;
        this.names = names;
        this.values = values;
        this.fieldCount = fieldCount;
        this.framing = framing;
        this.contentLength = contentLength;
        this.parsedTarget = parsedTarget;
    }

    /** Request method, or null for a response. */
    public String method() {
        return method;
    }

    /** Request target exactly as sent, or null for a response. */
    public String target() {
        return target;
    }

    /** The parsed and normalized request target, or null for a response. */
    public RequestTarget requestTarget() {
        return parsedTarget;
    }

    /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
    public int versionMinor() {
        return versionMinor;
    }

    /** Response status code, or 0 for a request. */
    public int status() {
        return status;
    }

    /** Response reason phrase (possibly empty), or null for a request. */
    public String reason() {
        return reason;
    }

    public int fieldCount() {
        return fieldCount;
    }

    public String name(int i) {
        return names[i];
    }

    public String value(int i) {
        return values[i];
    }

    public BodyFraming framing() {
        return framing;
    }

    /**
     * The Content-Length of a request that had one (0 included), or of a response whose body it frames; else -1.
     */
    public long contentLength() {
        return contentLength;
    }

    /** First value of field {@code name} (case-insensitive), or null. */
    public String header(String name) {
        for (int i = 0; i < fieldCount; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                return values[i];
            }
        }
        return null;
    }

    /** Every value of field {@code name} in order (case-insensitive). */
    public List<String> headers(String name) {
        List<String> out = new ArrayList<>(2);
        for (int i = 0; i < fieldCount; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                out.add(values[i]);
            }
        }
        return out;
    }

    /** True if some value of the list-valued field {@code name} contains the token {@code token} (case-insensitive). */
    public boolean hasToken(String name, String token) {
        for (int i = 0; i < fieldCount; i++) {
            if (names[i].equalsIgnoreCase(name) && containsToken(values[i], token)) {
                return true;
            }
        }
        return false;
    }

    /** True if the comma-separated list {@code list} contains {@code token}, compared case-insensitively. */
    public static boolean containsToken(String list, String token) {
        int n = list.length();
        int i = 0;
        while (i < n) {
            int comma = list.indexOf(',', i);
            int end = comma < 0 ? n : comma;
            int s = i;
            int e = end;
            while (s < e && (list.charAt(s) == ' ' || list.charAt(s) == '\t')) {
                s++;
            }
            while (e > s && (list.charAt(e - 1) == ' ' || list.charAt(e - 1) == '\t')) {
                e--;
            }
            if (e - s == token.length() && list.regionMatches(true, s, token, 0, token.length())) {
                return true;
            }
            i = end + 1;
        }
        return false;
    }

    /** True if a request's connection stays open after its exchange (RFC 9112 §9.3), ignoring the response. */
    public boolean requestKeepAlive() {
        if (hasToken("Connection", "close")) {
            return false;
        }
        return versionMinor >= 1 || hasToken("Connection", "keep-alive");
    }

    @Override
    public String toString() {
        return method != null ? method + " " + target + " HTTP/1." + versionMinor : "HTTP/1." + versionMinor + " " + status;
    }
}
