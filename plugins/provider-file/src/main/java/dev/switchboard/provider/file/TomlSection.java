package dev.switchboard.provider.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import dev.switchboard.spi.model.Origin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One TOML table being bound to the model. The binder asks for keys by their canonical name; the section finds
 * them as Traefik v1's TOML decoder (BurntSushi/toml) did for struct fields, exact spelling first, otherwise
 * ignoring case ({@code extractorfunc} = {@code extractorFunc}, {@code sslRedirect} = {@code SSLRedirect}). Names
 * the user chooses (frontends, servers, header names) are matched exactly.
 *
 * <p>Every problem is recorded with file, line and key; a value of the wrong type is an error and reads as absent,
 * so binding carries on and reports everything. {@link #finish()} warns about the keys nobody asked for. A key
 * that is not built yet ({@link BuiltKeys}) is warned about once, at its own line, and not again for the keys
 * inside it.
 */
final class TomlSection {

    private final ObjectNode node;
    private final List<Object> path;
    private final String pattern;
    private final SourceFile file;
    private final Diagnostics diagnostics;
    private final boolean insideNotBuilt;
    /** Keys as written → canonical name, in the order asked (so the chosen spelling comes first). */
    private final Map<String, String> used = new LinkedHashMap<>();

    TomlSection(ObjectNode node, List<Object> path, String pattern, SourceFile file, Diagnostics diagnostics,
                boolean insideNotBuilt) {
        this.node = node;
        this.path = List.copyOf(path);
        this.pattern = pattern;
        this.file = file;
        this.diagnostics = diagnostics;
        this.insideNotBuilt = insideNotBuilt;
    }

    static TomlSection root(ObjectNode node, SourceFile file, Diagnostics diagnostics) {
        return new TomlSection(node, List.of(), "", file, diagnostics, false);
    }

    List<Object> path() {
        return path;
    }

    SourceFile file() {
        return file;
    }

    Origin origin() {
        return file.originOf(path);
    }

    String key() {
        return KeyPaths.render(path);
    }

    Origin originOf(String actualKey) {
        return file.originOf(KeyPaths.child(path, actualKey));
    }

    String keyOf(String actualKey) {
        return KeyPaths.render(KeyPaths.child(path, actualKey));
    }

    boolean has(String name) {
        return find(name, false) != null;
    }

    // ---- problems ---------------------------------------------------------------------------------------------

    void error(String message) {
        diagnostics.error(origin(), key(), message);
    }

    void warn(String message) {
        diagnostics.warn(origin(), key(), message);
    }

    /** An error about key {@code name} of this table; names the key as written if present, else canonically. */
    void error(String name, String message) {
        String actual = actualName(name);
        diagnostics.error(originOf(actual), keyOf(actual), message);
    }

    void warn(String name, String message) {
        String actual = actualName(name);
        diagnostics.warn(originOf(actual), keyOf(actual), message);
    }

    /** An error about a key below this table (inside a table of free-form names, such as header names). */
    void errorAt(List<Object> keyPath, String message) {
        diagnostics.error(file.originOf(keyPath), KeyPaths.render(keyPath), message);
    }

    /** The key as the user wrote it (its case may differ from {@code canonical}), or {@code canonical}. */
    String actualKey(String canonical) {
        return actualName(canonical);
    }

    private String actualName(String name) {
        for (Map.Entry<String, String> e : used.entrySet()) {
            if (e.getValue().equals(name)) {
                return e.getKey();
            }
        }
        return name;
    }

    // ---- lookup -----------------------------------------------------------------------------------------------

    /** The raw value of {@code name}, or null; marks it used and reports it if it is not built yet. */
    JsonNode raw(String name) {
        String actual = find(name, true);
        return actual == null ? null : node.get(actual);
    }

    private String find(String canonical, boolean use) {
        String exact = null;
        List<String> folded = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (k.equals(canonical)) {
                exact = k;
            } else if (k.equalsIgnoreCase(canonical)) {
                folded.add(k);
            }
        }
        String chosen = exact != null ? exact : folded.isEmpty() ? null : folded.get(0);
        if (chosen == null || !use || used.containsKey(chosen)) {
            return chosen;
        }
        used.put(chosen, canonical);
        for (String other : folded) {
            if (!other.equals(chosen)) {
                used.put(other, canonical);
                diagnostics.error(originOf(other), keyOf(other), "the same key as '" + chosen + "' ("
                        + originOf(chosen) + "): keys are matched ignoring case, as Traefik v1 did, so write it"
                        + " once");
            }
        }
        if (!insideNotBuilt && BuiltKeys.status(childPattern(canonical)) == BuiltKeys.Status.NOT_BUILT) {
            diagnostics.warn(originOf(chosen), keyOf(chosen),
                    "accepted, but its behaviour is not built yet: it has no effect for now");
        }
        return chosen;
    }

    private String childPattern(String canonical) {
        return pattern.isEmpty() ? canonical : pattern + "." + canonical;
    }

    private boolean childInsideNotBuilt(String canonical) {
        return insideNotBuilt || BuiltKeys.status(childPattern(canonical)) == BuiltKeys.Status.NOT_BUILT;
    }

    // ---- typed values -----------------------------------------------------------------------------------------

    String string(String name) {
        JsonNode v = raw(name);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            typeError(name, "a string", v);
            return null;
        }
        return v.textValue();
    }

    String string(String name, String fallback) {
        String s = string(name);
        return s == null ? fallback : s;
    }

    Boolean bool(String name) {
        JsonNode v = raw(name);
        if (v == null) {
            return null;
        }
        if (!v.isBoolean()) {
            typeError(name, "a boolean (true or false)", v);
            return null;
        }
        return v.booleanValue();
    }

    boolean bool(String name, boolean fallback) {
        Boolean b = bool(name);
        return b == null ? fallback : b;
    }

    /** An integer within [min, max], or null if absent or invalid (reported). */
    Long integer(String name, long min, long max) {
        JsonNode v = raw(name);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber()) {
            typeError(name, "an integer", v);
            return null;
        }
        if (!v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
            error(name, range(v.asText(), min, max));
            return null;
        }
        return v.longValue();
    }

    private static String range(String value, long min, long max) {
        if (max == Long.MAX_VALUE || max == Integer.MAX_VALUE) {
            return value + " is out of range: expected an integer of at least " + min;
        }
        return value + " is out of range: expected an integer from " + min + " to " + max;
    }

    /** A list of strings, or null if absent or invalid (reported). */
    List<String> strings(String name) {
        JsonNode v = raw(name);
        if (v == null) {
            return null;
        }
        if (!v.isArray()) {
            typeError(name, "an array of strings, such as [\"a\", \"b\"]", v);
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (!e.isTextual()) {
                error(name, "element " + (i + 1) + " is " + describe(e) + ": expected an array of strings");
                return null;
            }
            out.add(e.textValue());
        }
        return out;
    }

    /** A duration (Go syntax or whole seconds), or null if absent or invalid (reported). Never negative. */
    Duration duration(String name) {
        JsonNode v = raw(name);
        if (v == null) {
            return null;
        }
        Duration d;
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            d = Duration.ofSeconds(v.longValue());
        } else if (v.isTextual()) {
            try {
                d = GoDuration.parseSetting(v.textValue());
            } catch (IllegalArgumentException e) {
                error(name, e.getMessage());
                return null;
            }
        } else {
            typeError(name, "a duration such as \"10s\" or a whole number of seconds", v);
            return null;
        }
        if (d.isNegative()) {
            error(name, v.asText() + " is negative: expected a duration of zero or more");
            return null;
        }
        return d;
    }

    /** A table of string values (header names to values), or null if absent or invalid (reported). */
    Map<String, String> stringMap(String name) {
        TomlSection t = table(name);
        if (t == null) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : t.node.properties()) {
            t.used.put(e.getKey(), e.getKey());
            if (e.getValue().isTextual()) {
                out.put(e.getKey(), e.getValue().textValue());
            } else {
                diagnostics.error(t.originOf(e.getKey()), t.keyOf(e.getKey()),
                        "expected a string, found " + describe(e.getValue()));
            }
        }
        return out;
    }

    /** The sub-table {@code name}, or null if absent or not a table (reported). */
    TomlSection table(String name) {
        JsonNode v = raw(name);
        if (v == null) {
            return null;
        }
        String actual = actualName(name);
        if (!(v instanceof ObjectNode o)) {
            typeError(name, "a table ([" + keyOf(actual) + "])", v);
            return null;
        }
        return new TomlSection(o, KeyPaths.child(path, actual), childPattern(name), file, diagnostics,
                childInsideNotBuilt(name));
    }

    /**
     * The tables under {@code name} keyed by the names the user chose ({@code [backends.B.servers.NAME]}), in the
     * order written; null if absent. An entry that is not a table is reported and skipped.
     */
    Map<String, TomlSection> entries(String name) {
        TomlSection t = table(name);
        return t == null ? null : t.entries();
    }

    /** This table's entries as named sub-tables (used for the top-level {@code frontends}/{@code backends}). */
    Map<String, TomlSection> entries() {
        Map<String, TomlSection> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            used.put(e.getKey(), e.getKey());
            if (e.getValue() instanceof ObjectNode o) {
                out.put(e.getKey(), new TomlSection(o, KeyPaths.child(path, e.getKey()), pattern + ".*", file,
                        diagnostics, insideNotBuilt));
            } else {
                diagnostics.error(originOf(e.getKey()), keyOf(e.getKey()), "expected a table (["
                        + keyOf(e.getKey()) + "]), found " + describe(e.getValue()));
            }
        }
        return out;
    }

    /** An array of tables ({@code [[tls]]}), or null if absent or invalid (reported). */
    List<TomlSection> tableArray(String name) {
        JsonNode v = raw(name);
        if (v == null) {
            return null;
        }
        String actual = actualName(name);
        if (!v.isArray()) {
            typeError(name, "an array of tables ([[" + keyOf(actual) + "]])", v);
            return null;
        }
        List<TomlSection> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            List<Object> elementPath = KeyPaths.child(KeyPaths.child(path, actual), i);
            if (v.get(i) instanceof ObjectNode o) {
                out.add(new TomlSection(o, elementPath, childPattern(name) + ".*", file, diagnostics,
                        childInsideNotBuilt(name)));
            } else {
                diagnostics.error(file.originOf(elementPath), KeyPaths.render(elementPath),
                        "expected a table, found " + describe(v.get(i)));
            }
        }
        return out;
    }

    /**
     * Every key nobody asked for, as plain Java values ({@code String}, {@code Long}, {@code Double},
     * {@code Boolean}, {@code List}, {@code Map}), marked used: the extension options of a section. A key within
     * two edits of a known one ({@code known}) is warned about as a probable typo.
     */
    Map<String, Object> remaining(Set<String> known) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (used.containsKey(e.getKey())) {
                continue;
            }
            used.put(e.getKey(), e.getKey());
            String suggestion = suggest(e.getKey(), known);
            if (suggestion != null) {
                diagnostics.warn(originOf(e.getKey()), keyOf(e.getKey()), "not a Traefik v1 key: did you mean '"
                        + suggestion + "'? It is passed on as an option");
            }
            out.put(e.getKey(), toJava(e.getValue()));
        }
        return out;
    }

    /** Warns about every key of this table nobody asked for: Traefik v1 ignored them silently. */
    void finish(Set<String> known) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (used.containsKey(k)) {
                continue;
            }
            String suggestion = suggest(k, known);
            String hint = path.isEmpty() && Set.of("http", "tcp", "udp").contains(k.toLowerCase(Locale.ROOT))
                    ? "this is Traefik v2's dynamic configuration; Switchboard reads Traefik v1's [frontends] and"
                    + " [backends]"
                    : ALIAS_HINTS.get(k.toLowerCase(Locale.ROOT));
            diagnostics.warn(originOf(k), keyOf(k), "unknown key, ignored"
                    + (hint != null ? ": " + hint : suggestion != null ? ": did you mean '" + suggestion + "'?"
                    : known.isEmpty() ? "" : " (expected one of: " + String.join(", ", known.stream().sorted()
                    .toList()) + ")"));
        }
    }

    private static final Map<String, String> ALIAS_HINTS = Map.of(
            "forwardingresponse", "this is the JSON/REST name; in TOML the section is [backends.NAME.responseForwarding]",
            "healthcheck", "write it inside a backend: [backends.NAME.healthCheck]",
            "circuitbreaker", "write it inside a backend: [backends.NAME.circuitBreaker]");

    private static String suggest(String key, Set<String> known) {
        String best = null;
        int bestDistance = 3;
        for (String k : known) {
            int d = distance(key.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private void typeError(String name, String expected, JsonNode found) {
        error(name, "expected " + expected + ", found " + describe(found));
    }

    static String describe(JsonNode v) {
        if (v.isTextual()) {
            return "a string (\"" + v.textValue() + "\")";
        }
        if (v.isIntegralNumber()) {
            return "an integer (" + v.asText() + ")";
        }
        if (v.isNumber()) {
            return "a float (" + v.asText() + ")";
        }
        if (v.isBoolean()) {
            return "a boolean (" + v.asText() + ")";
        }
        if (v.isArray()) {
            return "an array";
        }
        if (v.isObject()) {
            return "a table";
        }
        if (v instanceof POJONode p) {
            return "a date-time (" + p.getPojo() + ")";
        }
        return v.getNodeType().toString().toLowerCase(Locale.ROOT);
    }

    static Object toJava(JsonNode v) {
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isIntegralNumber()) {
            return v.canConvertToLong() ? (Object) v.longValue() : v.asText();
        }
        if (v.isNumber()) {
            return v.doubleValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isArray()) {
            List<Object> list = new ArrayList<>();
            v.forEach(e -> list.add(toJava(e)));
            return List.copyOf(list);
        }
        if (v.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            v.properties().forEach(e -> map.put(e.getKey(), toJava(e.getValue())));
            return java.util.Collections.unmodifiableMap(map);
        }
        if (v instanceof POJONode p) {
            return String.valueOf(p.getPojo());
        }
        return v.asText();
    }
}
