package dev.switchboard.plugins.matchers;

import dev.switchboard.spi.match.RequestRewrite;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A request for tests, behaving as the SPI describes {@link dev.switchboard.spi.http.RequestView}. */
final class TestRequest implements RequestRewrite {
    private final String method;
    private final String rawHost;
    private String path;
    private final String query;
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    final List<String> addedHeaders = new ArrayList<>();
    int status;
    String location;
    int pathChanges;

    TestRequest(String method, String rawHost, String target) {
        this.method = method;
        this.rawHost = rawHost;
        int q = target.indexOf('?');
        this.path = q < 0 ? target : target.substring(0, q);
        this.query = q < 0 ? "" : target.substring(q + 1);
    }

    static TestRequest get(String host, String target) {
        return new TestRequest("GET", host, target);
    }

    TestRequest header(String name, String value) {
        headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value);
        return this;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String host() {
        String h = rawHost.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            return close < 0 ? h : h.substring(0, close + 1);
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    @Override
    public String rawHost() {
        return rawHost;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String query() {
        return query;
    }

    @Override
    public String queryParameter(String name) {
        if (query.isEmpty()) {
            return null;
        }
        for (String item : query.split("&")) {
            int eq = item.indexOf('=');
            String key = eq < 0 ? item : item.substring(0, eq);
            if (key.equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(item.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    @Override
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null ? null : values.get(0);
    }

    @Override
    public List<String> headers(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    @Override
    public String clientAddress() {
        return "10.0.0.1";
    }

    @Override
    public String entryPoint() {
        return "http";
    }

    @Override
    public boolean secure() {
        return false;
    }

    @Override
    public void setPath(String newPath) {
        if (!newPath.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /: " + newPath);
        }
        path = newPath;
        pathChanges++;
    }

    @Override
    public void addHeader(String name, String value) {
        addedHeaders.add(name + ": " + value);
    }

    @Override
    public void setHeader(String name, String value) {
        addedHeaders.removeIf(h -> h.regionMatches(true, 0, name + ":", 0, name.length() + 1));
        addedHeaders.add(name + ": " + value);
    }

    @Override
    public void respond(int code, String where) {
        this.status = code;
        this.location = where;
    }
}
