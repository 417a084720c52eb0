package dev.switchboard.kernel.testing;

import dev.switchboard.spi.http.RequestView;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A request head for routing tests. */
public record TestRequest(String entryPoint, String method, String host, String path, Map<String, String> headerMap)
        implements RequestView {

    public static TestRequest get(String entryPoint, String host, String path) {
        return new TestRequest(entryPoint, "GET", host, path, Map.of());
    }

    @Override
    public String rawHost() {
        return host;
    }

    @Override
    public String query() {
        return "";
    }

    @Override
    public String queryParameter(String name) {
        return null;
    }

    @Override
    public String header(String name) {
        for (Map.Entry<String, String> e : headerMap.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return name.toLowerCase(Locale.ROOT).equals("host") ? host : null;
    }

    @Override
    public List<String> headers(String name) {
        String v = header(name);
        return v == null ? List.of() : List.of(v);
    }

    @Override
    public String clientAddress() {
        return "127.0.0.1";
    }

    @Override
    public boolean secure() {
        return false;
    }
}
