package dev.switchboard.provider.file;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which line of a TOML text defines which key, since Jackson's TOML tree keeps no positions. Keys are paths of
 * segments: a {@code String} per key (unquoted, as in the tree) and an {@code Integer} per element of an array of
 * tables ({@code [[tls]]} gives {@code ["tls", 0]}).
 *
 * <p>Indexed: {@code [table]} and {@code [[array]]} headers, {@code key = value} lines and dotted keys (each prefix
 * of a dotted key or header is attributed to the first line that mentions it, unless a header defines it
 * explicitly). Values are skipped with their strings, multi-line strings and multi-line arrays, so nothing inside a
 * value is mistaken for a key. Keys inside inline tables are not indexed: {@link #lineOf} falls back to the longest
 * indexed prefix, which is the line of the inline table. The scan is lenient: a line it cannot read is skipped (the
 * TOML parser reports syntax errors, with their own position).
 */
final class TomlLineIndex {

    private final Map<List<Object>, Integer> lines = new HashMap<>();
    private final Set<List<Object>> explicit = new HashSet<>();
    private final Map<List<Object>, Integer> arrayCounts = new HashMap<>();
    private final String text;
    private int pos;
    private int line = 1;

    private TomlLineIndex(String text) {
        this.text = text;
    }

    static TomlLineIndex of(String text) {
        TomlLineIndex index = new TomlLineIndex(text);
        index.scan();
        return index;
    }

    /**
     * The line defining {@code path}, else the line of its longest indexed prefix, else 0 (unknown).
     */
    int lineOf(List<Object> path) {
        for (int n = path.size(); n > 0; n--) {
            Integer l = lines.get(path.subList(0, n));
            if (l != null) {
                return l;
            }
        }
        return 0;
    }

    /** The line defining exactly {@code path}, or 0 if it is not indexed. */
    int exactLineOf(List<Object> path) {
        return lines.getOrDefault(path, 0);
    }

    private void scan() {
        List<Object> table = List.of();
        while (pos < text.length()) {
            skipBlanks();
            if (pos >= text.length()) {
                break;
            }
            char c = text.charAt(pos);
            try {
                if (c == '#' || c == '\n' || c == '\r') {
                    skipToEndOfLine();
                } else if (c == '[') {
                    table = header();
                    skipToEndOfLine();
                } else {
                    keyValue(table);
                }
            } catch (IllegalStateException unreadable) {
                skipToEndOfLine();
            }
        }
    }

    private List<Object> header() {
        int headerLine = line;
        pos++;
        boolean array = peek() == '[';
        if (array) {
            pos++;
        }
        List<String> keys = dottedKey();
        expect(']');
        if (array) {
            expect(']');
        }
        List<Object> resolved = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            resolved.add(keys.get(i));
            boolean last = i == keys.size() - 1;
            if (!(last && array)) {
                Integer count = arrayCounts.get(resolved);
                if (count != null) {
                    resolved.add(count - 1);
                }
            }
            if (!last || array) {
                implicit(resolved, headerLine);
            }
        }
        if (array) {
            int count = arrayCounts.merge(List.copyOf(resolved), 1, Integer::sum);
            resolved.add(count - 1);
        }
        List<Object> key = List.copyOf(resolved);
        if (explicit.add(key)) {
            lines.put(key, headerLine);
        }
        return key;
    }

    private void keyValue(List<Object> table) {
        int keyLine = line;
        List<String> keys = dottedKey();
        expect('=');
        List<Object> path = new ArrayList<>(table);
        for (int i = 0; i < keys.size(); i++) {
            path.add(keys.get(i));
            if (i < keys.size() - 1) {
                implicit(path, keyLine);
            }
        }
        lines.put(List.copyOf(path), keyLine);
        skipValue();
    }

    private void implicit(List<Object> path, int l) {
        List<Object> key = List.copyOf(path);
        if (!explicit.contains(key)) {
            lines.putIfAbsent(key, l);
        }
    }

    private List<String> dottedKey() {
        List<String> keys = new ArrayList<>();
        while (true) {
            skipBlanks();
            keys.add(simpleKey());
            skipBlanks();
            if (peek() != '.') {
                return keys;
            }
            pos++;
        }
    }

    private String simpleKey() {
        char c = peek();
        if (c == '"') {
            pos++;
            return basicString();
        }
        if (c == '\'') {
            pos++;
            int end = text.indexOf('\'', pos);
            int eol = endOfLine();
            if (end < 0 || end > eol) {
                throw new IllegalStateException();
            }
            String key = text.substring(pos, end);
            pos = end + 1;
            return key;
        }
        int start = pos;
        while (pos < text.length() && isBareKeyChar(text.charAt(pos))) {
            pos++;
        }
        if (pos == start) {
            throw new IllegalStateException();
        }
        return text.substring(start, pos);
    }

    private String basicString() {
        StringBuilder sb = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c == '\n') {
                pos--;
                throw new IllegalStateException();
            }
            if (c == '\\' && pos < text.length()) {
                char e = text.charAt(pos++);
                switch (e) {
                    case 'b' -> sb.append('\b');
                    case 't' -> sb.append('\t');
                    case 'n' -> sb.append('\n');
                    case 'f' -> sb.append('\f');
                    case 'r' -> sb.append('\r');
                    case 'u', 'U' -> {
                        int len = e == 'u' ? 4 : 8;
                        if (pos + len > text.length()) {
                            throw new IllegalStateException();
                        }
                        try {
                            sb.appendCodePoint(Integer.parseInt(text.substring(pos, pos + len), 16));
                        } catch (IllegalArgumentException badEscape) {
                            throw new IllegalStateException(badEscape);
                        }
                        pos += len;
                    }
                    default -> sb.append(e);
                }
            } else {
                sb.append(c);
            }
        }
        throw new IllegalStateException();
    }

    /** Skips a value, which may span lines (multi-line strings and arrays), up to the end of its last line. */
    private void skipValue() {
        int depth = 0;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '"' || c == '\'') {
                skipString(c);
            } else if (c == '#') {
                while (pos < text.length() && text.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (c == '\n') {
                if (depth <= 0) {
                    pos++;
                    line++;
                    return;
                }
                pos++;
                line++;
            } else {
                if (c == '[' || c == '{') {
                    depth++;
                } else if (c == ']' || c == '}') {
                    depth--;
                }
                pos++;
            }
        }
    }

    private void skipString(char quote) {
        boolean multi = text.startsWith(String.valueOf(quote).repeat(3), pos);
        pos += multi ? 3 : 1;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\\' && quote == '"') {
                if (pos + 1 < text.length() && text.charAt(pos + 1) == '\n') {
                    line++;
                }
                pos += 2;
            } else if (c == '\n') {
                if (!multi) {
                    return; // unterminated: the parser reports it
                }
                line++;
                pos++;
            } else if (c == quote) {
                if (!multi) {
                    pos++;
                    return;
                }
                if (text.startsWith(String.valueOf(quote).repeat(3), pos)) {
                    pos += 3;
                    // up to two more quotes may belong to the content: """a""""" ends after five
                    for (int extra = 0; extra < 2 && pos < text.length() && text.charAt(pos) == quote; extra++) {
                        pos++;
                    }
                    return;
                }
                pos++;
            } else {
                pos++;
            }
        }
    }

    private void skipBlanks() {
        while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
            pos++;
        }
    }

    private void skipToEndOfLine() {
        int eol = endOfLine();
        pos = eol < text.length() ? eol + 1 : eol;
        if (eol < text.length()) {
            line++;
        }
    }

    private int endOfLine() {
        int eol = text.indexOf('\n', pos);
        return eol < 0 ? text.length() : eol;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void expect(char c) {
        skipBlanks();
        if (peek() != c) {
            throw new IllegalStateException();
        }
        pos++;
    }

    private static boolean isBareKeyChar(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-';
    }
}
