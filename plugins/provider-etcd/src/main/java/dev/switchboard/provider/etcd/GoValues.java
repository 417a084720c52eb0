package dev.switchboard.provider.etcd;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Scalar values as Traefik v1's key-value provider read them (Go's strconv and its label helpers). */
final class GoValues {
    private GoValues() {
    }

    /** Go's {@code strconv.ParseBool}: 1, t, T, TRUE, true, True, 0, f, F, FALSE, false, False; else null. */
    static Boolean parseBool(String s) {
        return switch (s.strip()) {
            case "1", "t", "T", "TRUE", "true", "True" -> Boolean.TRUE;
            case "0", "f", "F", "FALSE", "false", "False" -> Boolean.FALSE;
            default -> null;
        };
    }

    /** A decimal integer in {@code [min, max]}, or null. */
    static Long parseLong(String s, long min, long max) {
        String t = s.strip();
        if (!t.matches("[+-]?\\d{1,19}")) {
            return null;
        }
        try {
            long v = Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
            return v < min || v > max ? null : v;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Traefik v1's {@code SplitAndTrimString(value, ",")}: items trimmed, empty ones dropped. */
    static List<String> splitList(String value) {
        List<String> out = new ArrayList<>();
        for (String part : value.split(",")) {
            String t = part.strip();
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    /** Go's {@code http.CanonicalHeaderKey}: {@code x-script-name} becomes {@code X-Script-Name}. */
    static String canonicalHeaderKey(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean token = c == '-' || c == '!' || c == '#' || c == '$' || c == '%' || c == '&' || c == '\''
                    || c == '*' || c == '+' || c == '.' || c == '^' || c == '_' || c == '`' || c == '|' || c == '~'
                    || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (!token) {
                return name;
            }
        }
        StringBuilder b = new StringBuilder(name.length());
        boolean upper = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            b.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
            upper = c == '-';
        }
        return b.toString().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)) ? b.toString() : name;
    }
}
