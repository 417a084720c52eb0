package dev.switchboard.kernel.net;

import dev.switchboard.kernel.http.HttpHead;
import dev.switchboard.spi.match.RequestRewrite;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One client request as routing, matchers, balancers and modifiers see it ({@code clientToProxyRequest}), and the
 * rewrites modifiers make to it. Lives for one exchange on the connection's loop; strings are built when asked.
 */
final class ProxyRequest implements RequestRewrite {
    private final HttpHead head;
    private final String clientAddress;
    private final String entryPoint;
    private String host;
    private String path;
    /** Fields added or set by modifiers, in order: name, value, name, value... */
    final List<String> extraFields = new ArrayList<>(0);
    /** Lower-case names whose client values a modifier replaced. */
    final List<String> replacedNames = new ArrayList<>(0);
    int respondStatus;
    String respondLocation;

    ProxyRequest(HttpHead head, String clientAddress, String entryPoint) {
        this.head = head;
        this.clientAddress = clientAddress;
        this.entryPoint = entryPoint;
        this.path = head.requestTarget().path();
    }

    HttpHead head() {
        return head;
    }

    @Override
    public String method() {
        return head.method();
    }

    @Override
    public String host() {
        if (host == null) {
            String authority = head.requestTarget().authority();
            host = canonicalHost(authority != null ? authority : rawHost());
        }
        return host;
    }

    /** Lower-case, trimmed, port removed; brackets of an IPv6 literal kept (Traefik v1's {@code RequestHost}). */
    static String canonicalHost(String authority) {
        String a = authority.strip();
        if (a.startsWith("[")) {
            int close = a.indexOf(']');
            return (close < 0 ? a : a.substring(0, close + 1)).toLowerCase(Locale.ROOT);
        }
        int colon = a.indexOf(':');
        return (colon < 0 ? a : a.substring(0, colon)).toLowerCase(Locale.ROOT);
    }

    @Override
    public String rawHost() {
        String h = head.header("Host");
        return h == null ? "" : h;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String query() {
        return head.requestTarget().query();
    }

    @Override
    public String queryParameter(String name) {
        String q = query();
        if (q.isEmpty()) {
            return null;
        }
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            if (decode(k).equals(name)) {
                return eq < 0 ? "" : decode(pair.substring(eq + 1));
            }
        }
        return null;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    @Override
    public String header(String name) {
        if (!replacedNames.contains(name.toLowerCase(Locale.ROOT))) {
            String v = head.header(name);
            if (v != null) {
                return v;
            }
        }
        for (int i = 0; i < extraFields.size(); i += 2) {
            if (extraFields.get(i).equalsIgnoreCase(name)) {
                return extraFields.get(i + 1);
            }
        }
        return null;
    }

    @Override
    public List<String> headers(String name) {
        List<String> out = replacedNames.contains(name.toLowerCase(Locale.ROOT)) ? new ArrayList<>() : head.headers(name);
        for (int i = 0; i < extraFields.size(); i += 2) {
            if (extraFields.get(i).equalsIgnoreCase(name)) {
                out.add(extraFields.get(i + 1));
            }
        }
        return out;
    }

    @Override
    public String clientAddress() {
        return clientAddress;
    }

    @Override
    public String entryPoint() {
        return entryPoint;
    }

    @Override
    public boolean secure() {
        return false;
    }

    @Override
    public void setPath(String newPath) {
        if (newPath == null || !newPath.startsWith("/")) {
            throw new IllegalArgumentException("a path must start with /: " + newPath);
        }
        checkFieldText(newPath);
        this.path = newPath;
    }

    @Override
    public void addHeader(String name, String value) {
        checkFieldText(name);
        checkFieldText(value);
        extraFields.add(name);
        extraFields.add(value);
    }

    @Override
    public void setHeader(String name, String value) {
        checkFieldText(name);
        checkFieldText(value);
        String lower = name.toLowerCase(Locale.ROOT);
        for (int i = extraFields.size() - 2; i >= 0; i -= 2) {
            if (extraFields.get(i).equalsIgnoreCase(name)) {
                extraFields.remove(i + 1);
                extraFields.remove(i);
            }
        }
        if (!replacedNames.contains(lower)) {
            replacedNames.add(lower);
        }
        extraFields.add(name);
        extraFields.add(value);
    }

    /** A modifier must not be able to inject a line break (and so a second request) into what we send. */
    private static void checkFieldText(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n' || c == 0 || c > 0xff) {
                throw new IllegalArgumentException("control or non-Latin-1 character in rewritten request");
            }
        }
    }

    @Override
    public void respond(int status, String location) {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status out of range: " + status);
        }
        if (location != null) {
            checkFieldText(location);
        }
        this.respondStatus = status;
        this.respondLocation = location;
    }
}
