package dev.switchboard.provider.file;

import java.util.ArrayList;
import java.util.List;

/** Key paths ({@code String} keys, {@code Integer} array elements) as messages print them. */
final class KeyPaths {
    private KeyPaths() {
    }

    static List<Object> child(List<Object> parent, Object segment) {
        List<Object> p = new ArrayList<>(parent.size() + 1);
        p.addAll(parent);
        p.add(segment);
        return List.copyOf(p);
    }

    /** {@code frontends.f1.routes.r0.rule}, {@code tls[0].certificate}, {@code frontends."a.b".backend}. */
    static String render(List<Object> path) {
        StringBuilder sb = new StringBuilder();
        for (Object segment : path) {
            if (segment instanceof Integer i) {
                sb.append('[').append(i).append(']');
                continue;
            }
            if (sb.length() > 0) {
                sb.append('.');
            }
            String key = (String) segment;
            if (!key.isEmpty() && key.chars().allMatch(c -> c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
                    || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                sb.append(key);
            } else {
                sb.append('"').append(key.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
        }
        return sb.toString();
    }
}
