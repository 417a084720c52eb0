package dev.switchboard.kernel.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where each key of a TOML document was written: dotted key path to 1-based line, from table headers
 * ({@code [a.b]}, {@code [[a.b]]}) and {@code key = value} lines. Jackson's TOML tree carries no locations, so this
 * small scanner supplies them for messages.
 *
 * <p>Paths are compared case-insensitively (Traefik v1 matched keys to fields ignoring case). Quoted keys keep their
 * text without quotes. The first definition of a path wins; a path never written resolves to its nearest written
 * parent ({@link #lineOf}).
 */
public final class TomlLineIndex {
    private final Map<String, Integer> lines = new HashMap<>();

    private TomlLineIndex() {
    }

    /** Indexes {@code text}. Never fails: lines it cannot read are skipped (the TOML parser reports them). */
    public static TomlLineIndex of(String text) {
        TomlLineIndex index = new TomlLineIndex();
        String[] rows = text.split("\r?\n", -1);
        String table = "";
        String closeMultiline = null;
        int bracketDepth = 0;
        for (int n = 0; n < rows.length; n++) {
            String row = rows[n];
            int lineNo = n + 1;
            if (closeMultiline != null) {
                int end = row.indexOf(closeMultiline);
                if (end < 0) {
                    continue;
                }
                closeMultiline = null;
                continue;
            }
            if (bracketDepth > 0) {
                bracketDepth += depthChange(row);
                continue;
            }
            String line = stripComment(row).trim();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("[")) {
                boolean array = line.startsWith("[[");
                int close = array ? line.indexOf("]]") : lastUnquotedBracket(line);
                if (close < 0) {
                    continue;
                }
                String inner = line.substring(array ? 2 : 1, close);
                table = String.join(".", splitKey(inner));
                index.lines.putIfAbsent(table.toLowerCase(Locale.ROOT), lineNo);
                continue;
            }
            int eq = unquotedIndexOf(line, '=');
            if (eq <= 0) {
                continue;
            }
            List<String> key = splitKey(line.substring(0, eq));
            String path = (table.isEmpty() ? "" : table + ".") + String.join(".", key);
            index.lines.putIfAbsent(path.toLowerCase(Locale.ROOT), lineNo);
            String value = line.substring(eq + 1).trim();
            if (value.startsWith("\"\"\"") || value.startsWith("'''")) {
                String delim = value.substring(0, 3);
                if (value.indexOf(delim, 3) < 0) {
                    closeMultiline = delim;
                }
            } else if (value.startsWith("[") || value.startsWith("{")) {
                bracketDepth = depthChange(value);
                if (value.startsWith("{")) {
                    indexInlineTable(index, path, value, lineNo);
                }
            }
        }
        return index;
    }

    private static void indexInlineTable(TomlLineIndex index, String path, String value, int lineNo) {
        // Only the first level of an inline table: { a = 1, b = "x" } -> path.a, path.b on this line.
        int depth = 0;
        StringBuilder token = new StringBuilder();
        boolean inString = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\'') {
                inString = !inString;
            }
            if (!inString && (c == '{' || c == '[')) {
                depth++;
                if (depth == 1) {
                    token.setLength(0);
                    continue;
                }
            }
            if (!inString && (c == '}' || c == ']')) {
                depth--;
            }
            if (depth == 1 && !inString && c == ',') {
                token.setLength(0);
                continue;
            }
            if (depth == 1 && !inString && c == '=') {
                String k = String.join(".", splitKey(token.toString()));
                index.lines.putIfAbsent((path + "." + k).toLowerCase(Locale.ROOT), lineNo);
                token.setLength(0);
                continue;
            }
            token.append(c);
        }
    }

    /** The line of {@code path} or of its nearest written parent; 0 if none. */
    public int lineOf(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        while (true) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
            int dot = p.lastIndexOf('.');
            if (dot < 0) {
                return 0;
            }
            p = p.substring(0, dot);
        }
    }

    /** The line where exactly {@code path} was written, or 0. */
    public int exactLineOf(String path) {
        return lines.getOrDefault(path.toLowerCase(Locale.ROOT), 0);
    }

    static List<String> splitKey(String key) {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '.') {
                parts.add(cur.toString().trim());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        parts.add(cur.toString().trim());
        return parts;
    }

    private static String stripComment(String row) {
        char quote = 0;
        for (int i = 0; i < row.length(); i++) {
            char c = row.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote == '"') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '#') {
                return row.substring(0, i);
            }
        }
        return row;
    }

    private static int unquotedIndexOf(String s, char target) {
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == target) {
                return i;
            }
        }
        return -1;
    }

    private static int lastUnquotedBracket(String s) {
        int found = -1;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == ']') {
                found = i;
            }
        }
        return found;
    }

    private static int depthChange(String row) {
        String s = stripComment(row);
        int d = 0;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote == '"') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '[' || c == '{') {
                d++;
            } else if (c == ']' || c == '}') {
                d--;
            }
        }
        return d;
    }
}
