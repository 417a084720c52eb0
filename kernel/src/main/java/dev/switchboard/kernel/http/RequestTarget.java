package dev.switchboard.kernel.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A request target (RFC 9112 §3.2) split into authority, path and query, with the path normalized so that the path
 * routed is the path sent: percent-encoded unreserved characters decoded, other percent-encodings upper-cased, dot
 * segments removed (RFC 3986 §6.2.2, §5.2.4). Characters outside the URI grammar are refused (strict; no lenience).
 * The query stays a range of the target as sent until somebody asks for it as a string.
 */
public final class RequestTarget {
    private final String target;
    private final String authority;
    private final String path;
    private final int queryStart;
    private String query;

    private RequestTarget(String target, String authority, String path, int queryStart) {
        this.target = target;
        this.authority = authority;
        this.path = path;
        this.queryStart = queryStart;
    }

    /** The authority of an absolute-form target ({@code host[:port]}), or null for origin-form. */
    public String authority() {
        return authority;
    }

    /** The normalized path ({@code *} for asterisk-form). */
    public String path() {
        return path;
    }

    /** The query as sent, without {@code ?}; empty if none. */
    public String query() {
        if (query == null) {
            query = queryStart < 0 ? "" : target.substring(queryStart);
        }
        return query;
    }

    /** Whether the target had a {@code ?}. */
    public boolean hasQuery() {
        return queryStart >= 0;
    }

    /** The target exactly as sent. */
    public String original() {
        return target;
    }

    /** Where the query begins in {@link #original()} (after the {@code ?}), or -1 if there is none. */
    public int queryStart() {
        return queryStart;
    }

    /**
     * Parses {@code target} of a request with method {@code method}; returns null if it is not a valid origin-form,
     * absolute-form (http/https) or asterisk-form ({@code OPTIONS} only) target.
     */
    public static RequestTarget parse(String method, String target) {
        if (target.equals("*")) {
            return method.equals("OPTIONS") ? new RequestTarget(target, null, "*", -1) : null;
        }
        String authority = null;
        int pathStart = 0;
        if (target.charAt(0) != '/') {
            int schemeEnd;
            if (target.regionMatches(true, 0, "http://", 0, 7)) {
                schemeEnd = 7;
            } else if (target.regionMatches(true, 0, "https://", 0, 8)) {
                schemeEnd = 8;
            } else {
                return null;
            }
            int end = schemeEnd;
            while (end < target.length() && target.charAt(end) != '/' && target.charAt(end) != '?') {
                end++;
            }
            authority = target.substring(schemeEnd, end);
            if (authority.isEmpty() || !isValidAuthority(authority)) {
                return null;
            }
            pathStart = end;
        }
        int q = target.indexOf('?', pathStart);
        int pathEnd = q < 0 ? target.length() : q;
        if (!validChars(target, pathStart, pathEnd, false) || (q >= 0 && !validChars(target, q + 1, target.length(), true))) {
            return null;
        }
        String rawPath = pathStart == pathEnd ? "/" : pathStart == 0 && pathEnd == target.length() ? target
                : target.substring(pathStart, pathEnd);
        String path = normalizePath(rawPath);
        if (path == null) {
            return null;
        }
        return new RequestTarget(target, authority, path, q < 0 ? -1 : q + 1);
    }

    @Override
    public String toString() {
        return "RequestTarget[authority=" + authority + ", path=" + path + ", query=" + query() + "]";
    }

    /** Lower-case, trimmed, port removed; brackets of an IPv6 literal kept (Traefik v1's {@code RequestHost}). */
    public static String canonicalHost(String authority) {
        String a = authority.strip();
        if (a.startsWith("[")) {
            int close = a.indexOf(']');
            return (close < 0 ? a : a.substring(0, close + 1)).toLowerCase(Locale.ROOT);
        }
        int colon = a.indexOf(':');
        return (colon < 0 ? a : a.substring(0, colon)).toLowerCase(Locale.ROOT);
    }

    private static boolean isUnreserved(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                || c == '_' || c == '~';
    }

    private static boolean isSubDelim(int c) {
        return c == '!' || c == '$' || c == '&' || c == '\'' || c == '(' || c == ')' || c == '*' || c == '+'
                || c == ',' || c == ';' || c == '=';
    }

    /**
     * Lenience, the only one: characters RFC 3986 §2 does not allow unencoded but that browsers send as they are,
     * because the WHATWG URL standard's query (and path) percent-encode sets leave them alone. Go's net/http, and so
     * Traefik v1, accept them; refusing them would break pages that work today. None of them can change how a
     * message is framed or routed (the path's dot segments and percent-encodings are still normalized).
     */
    public static final String WHATWG_UNENCODED_IN_QUERY = "{}|^`";
    /** The same lenience for the path: browsers encode {, } and ` there, not | and ^. */
    public static final String WHATWG_UNENCODED_IN_PATH = "|^";

    private static boolean validChars(String s, int from, int to, boolean query) {
        String lenient = query ? WHATWG_UNENCODED_IN_QUERY : WHATWG_UNENCODED_IN_PATH;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (isUnreserved(c) || isSubDelim(c) || c == ':' || c == '@' || c == '/' || c == '%' || (query && c == '?')
                    || lenient.indexOf(c) >= 0) {
                continue;
            }
            return false;
        }
        return true;
    }

    /** RFC 3986 §3.2: host (reg-name, IPv4, or bracketed IP literal) and optional port; no userinfo. */
    public static boolean isValidAuthority(String a) {
        int i = 0;
        int n = a.length();
        if (n == 0) {
            return true;
        }
        if (a.charAt(0) == '[') {
            int close = a.indexOf(']');
            if (close < 0) {
                return false;
            }
            for (int k = 1; k < close; k++) {
                char c = a.charAt(k);
                if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                    return false;
                }
            }
            i = close + 1;
        } else {
            while (i < n && a.charAt(i) != ':') {
                char c = a.charAt(i);
                if (!(isUnreserved(c) || isSubDelim(c) || c == '%')) {
                    return false;
                }
                i++;
            }
        }
        if (i == n) {
            return true;
        }
        if (a.charAt(i) != ':') {
            return false;
        }
        if (n - i - 1 > 5) {
            return false;
        }
        for (int k = i + 1; k < n; k++) {
            if (a.charAt(k) < '0' || a.charAt(k) > '9') {
                return false;
            }
        }
        return true;
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }

    /**
     * Decodes percent-encoded unreserved characters, upper-cases the hex digits of the others and removes dot
     * segments. Returns null for a malformed percent-encoding.
     */
    public static String normalizePath(String raw) {
        if (raw.indexOf('%') < 0 && raw.indexOf("/.") < 0) {
            return raw;
        }
        StringBuilder decoded = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                decoded.append(c);
                continue;
            }
            if (i + 2 >= raw.length()) {
                return null;
            }
            int h = hex(raw.charAt(i + 1));
            int l = hex(raw.charAt(i + 2));
            if (h < 0 || l < 0) {
                return null;
            }
            int v = h * 16 + l;
            if (isUnreserved(v)) {
                decoded.append((char) v);
            } else {
                decoded.append('%').append(Character.toUpperCase(raw.charAt(i + 1)))
                        .append(Character.toUpperCase(raw.charAt(i + 2)));
            }
            i += 2;
        }
        return removeDotSegments(decoded.toString());
    }

    /** RFC 3986 §5.2.4 for an absolute path. */
    static String removeDotSegments(String path) {
        if (path.indexOf("/.") < 0) {
            return path;
        }
        String[] parts = path.split("/", -1);
        List<String> out = new ArrayList<>(parts.length);
        for (int i = 1; i < parts.length; i++) {
            String seg = parts[i];
            boolean last = i == parts.length - 1;
            if (seg.equals(".")) {
                if (last) {
                    out.add("");
                }
            } else if (seg.equals("..")) {
                if (!out.isEmpty()) {
                    out.remove(out.size() - 1);
                }
                if (last) {
                    out.add("");
                }
            } else {
                out.add(seg);
            }
        }
        return "/" + String.join("/", out);
    }
}
