package dev.switchboard.testkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an {@link EchoBackend} received: the request as the proxy forwarded it.
 *
 * @param backend the name of the echo backend that received it
 * @param method  the method
 * @param path    the path, still percent-encoded as received
 * @param query   the query without {@code ?}, as received, or the empty string
 * @param headers every field, names compared case-insensitively, values in order
 * @param body    the body as UTF-8 text (empty when none)
 */
public record EchoedRequest(String backend, String method, String path, String query,
                            Map<String, List<String>> headers, String body) {
    public EchoedRequest {
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> copy.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        copy.replaceAll((k, v) -> List.copyOf(v));
        headers = Collections.unmodifiableMap(copy);
    }

    /** The first value of field {@code name} (case-insensitive), or null. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The path and, if any, {@code ?query}: the request target the backend saw. */
    public String target() {
        return query.isEmpty() ? path : path + "?" + query;
    }

    /**
     * The text an echo backend answers with: its name, then {@code METHOD target}, then one {@code Name: value} line
     * per field value, a blank line, and the body.
     */
    String toText() {
        StringBuilder b = new StringBuilder();
        b.append(backend).append('\n').append(method).append(' ').append(target()).append('\n');
        headers.forEach((k, vs) -> vs.forEach(v -> b.append(k).append(": ").append(v).append('\n')));
        return b.append('\n').append(body).toString();
    }

    /** Parses {@link #toText()}; null if {@code text} is not an echo. */
    static EchoedRequest parse(String text) {
        int end = text.indexOf("\n\n");
        if (end < 0) {
            return null;
        }
        List<String> lines = text.substring(0, end).lines().toList();
        if (lines.size() < 2) {
            return null;
        }
        String[] requestLine = lines.get(1).split(" ", 2);
        if (requestLine.length != 2) {
            return null;
        }
        String target = requestLine[1];
        int q = target.indexOf('?');
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String line : lines.subList(2, lines.size())) {
            int colon = line.indexOf(": ");
            if (colon > 0) {
                headers.computeIfAbsent(line.substring(0, colon).toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(line.substring(colon + 2));
            }
        }
        return new EchoedRequest(lines.get(0), requestLine[0], q < 0 ? target : target.substring(0, q),
                q < 0 ? "" : target.substring(q + 1), headers, text.substring(end + 2));
    }
}
