package dev.switchboard.kernel.net;

import dev.switchboard.kernel.balance.ConnectionLimiter;
import dev.switchboard.kernel.breaker.CircuitBreaker;
import dev.switchboard.kernel.http.HttpHead;
import dev.switchboard.kernel.routing.FrontendRoute;
import dev.switchboard.kernel.routing.Upstream;
import dev.switchboard.spi.match.RequestRewrite;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One client request as routing, matchers, balancers and modifiers see it ({@code clientToProxyRequest}), the
 * rewrites modifiers make to it, and how its head is written to the server ({@link #forward}). Used for one exchange
 * on the connection's loop, then given back to the loop's spare list for the next exchange (the SPI's
 * {@code RequestView} is valid for the call only, so nothing outside the exchange holds it); strings are built when
 * asked.
 */
final class ProxyRequest implements RequestRewrite {
    private static final List<String> NONE = List.of();

    private HttpHead head;
    private String clientAddress;
    private String entryPoint;
    private String host;
    private String path;
    /** Fields added or set by modifiers, in order: name, value, name, value... (immutable and empty until then) */
    List<String> extraFields = NONE;
    /** Lower-case names whose client values a modifier replaced (immutable and empty until then). */
    List<String> replacedNames = NONE;
    int respondStatus;
    String respondLocation;
    /** How the head is written to the server (kept to write it again on a retry). */
    final HeadEncoder.Request forward = new HeadEncoder.Request();

    // What only the exchange needs, kept here rather than on the (possibly idle) connection; cleared with the rest.
    long exchangeStart;
    FrontendRoute frontend;
    /** The backend's breaker when it admitted this request (its outcome is recorded there), else null. */
    CircuitBreaker breaker;
    /** The maxConn count held (released once, when the exchange ends) and its limiter. */
    ConnectionLimiter limiter;
    ConnectionLimiter.Counter permit;
    /** The server the sticky cookie named, if any. */
    Upstream stuckTo;
    /** Servers tried (kernel.balance retries). */
    int attempts;

    ProxyRequest() {
    }

    ProxyRequest start(HttpHead head, String clientAddress, String entryPoint) {
        this.head = head;
        this.clientAddress = clientAddress;
        this.entryPoint = entryPoint;
        this.path = head.requestTarget().path();
        return this;
    }

    /** Forgets the exchange (before the request goes back to its loop's spare list). */
    void clear() {
        head = null;
        clientAddress = null;
        entryPoint = null;
        host = null;
        path = null;
        extraFields = NONE;
        replacedNames = NONE;
        respondStatus = 0;
        respondLocation = null;
        forward.clear();
        exchangeStart = 0;
        frontend = null;
        breaker = null;
        limiter = null;
        permit = null;
        stuckTo = null;
        attempts = 0;
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
            host = head.canonicalHost(authority != null ? authority : rawHost());
        }
        return host;
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
        if (!isReplaced(name)) {
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
        List<String> out = isReplaced(name) ? new ArrayList<>() : head.headers(name);
        for (int i = 0; i < extraFields.size(); i += 2) {
            if (extraFields.get(i).equalsIgnoreCase(name)) {
                out.add(extraFields.get(i + 1));
            }
        }
        return out;
    }

    /** Whether a modifier replaced the client's values of field {@code name} (no allocation). */
    private boolean isReplaced(String name) {
        for (int i = 0; i < replacedNames.size(); i++) {
            if (replacedNames.get(i).equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
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
        writableExtraFields().add(name);
        writableExtraFields().add(value);
    }

    private List<String> writableExtraFields() {
        if (extraFields == NONE) {
            extraFields = new ArrayList<>(4);
        }
        return extraFields;
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
            if (replacedNames == NONE) {
                replacedNames = new ArrayList<>(2);
            }
            replacedNames.add(lower);
        }
        writableExtraFields().add(name);
        writableExtraFields().add(value);
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
