package dev.switchboard.plugins.matchers;

import dev.switchboard.spi.match.RuleException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A replacement template with Go's {@code Regexp.Expand} syntax, parsed once: {@code $1}, {@code ${1}},
 * {@code $name}, {@code ${name}}, {@code $$} for a dollar sign. As in Go, {@code $name} takes the longest run of
 * letters, digits and underscores ({@code $1x} means {@code ${1x}}) and a malformed {@code $} is copied literally.
 * Beyond Go: a reference to a group the expression does not have is an error instead of silently empty.
 */
final class GoReplacement {
    /** Literal text (String) or group reference (Integer index or String name, wrapped). */
    private final Object[] parts;

    private record Group(Object ref) {
    }

    private GoReplacement(Object[] parts) {
        this.parts = parts;
    }

    static GoReplacement parse(String function, String template, Pattern regex) throws RuleException {
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int groups = regex.matcher("").groupCount();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c != '$' || i + 1 >= template.length()) {
                literal.append(c);
                i++;
                continue;
            }
            char next = template.charAt(i + 1);
            if (next == '$') {
                literal.append('$');
                i += 2;
                continue;
            }
            String name;
            int after;
            if (next == '{') {
                int close = template.indexOf('}', i + 2);
                if (close < 0 || !isName(template, i + 2, close)) {
                    literal.append('$'); // malformed: Go copies '$' and goes on
                    i++;
                    continue;
                }
                name = template.substring(i + 2, close);
                after = close + 1;
            } else {
                int end = i + 1;
                while (end < template.length() && isNameChar(template.charAt(end))) {
                    end++;
                }
                if (end == i + 1) {
                    literal.append('$');
                    i++;
                    continue;
                }
                name = template.substring(i + 1, end);
                after = end;
            }
            if (literal.length() > 0) {
                parts.add(literal.toString());
                literal.setLength(0);
            }
            parts.add(new Group(reference(function, template, name, groups, regex)));
            i = after;
        }
        if (literal.length() > 0) {
            parts.add(literal.toString());
        }
        return new GoReplacement(parts.toArray());
    }

    private static Object reference(String function, String template, String name, int groups, Pattern regex)
            throws RuleException {
        if (name.chars().allMatch(Character::isDigit)) {
            int index;
            try {
                index = Integer.parseInt(name);
            } catch (NumberFormatException e) {
                index = Integer.MAX_VALUE;
            }
            if (index > groups) {
                throw new RuleException(function + ": replacement '" + template + "' refers to group $" + name
                        + " but the regular expression has " + groups + " group(s)");
            }
            return index;
        }
        if (!namedGroups(regex).contains(name)) {
            boolean digitsThenText = Character.isDigit(name.charAt(0));
            throw new RuleException(function + ": replacement '" + template + "' refers to group '" + name
                    + "' which the regular expression does not have"
                    + (digitsThenText ? " (Go reads $" + name + " as one name: write ${" + leadingDigits(name) + "}"
                    + name.substring(leadingDigits(name).length()) + ")" : ""));
        }
        return name;
    }

    private static final Pattern NAMED_GROUP = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");

    /** Names of the named groups of {@code regex} (Java 17 has no public accessor). */
    private static Set<String> namedGroups(Pattern regex) {
        Set<String> names = new HashSet<>();
        Matcher m = NAMED_GROUP.matcher(regex.pattern());
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static String leadingDigits(String s) {
        int n = 0;
        while (n < s.length() && Character.isDigit(s.charAt(n))) {
            n++;
        }
        return s.substring(0, n);
    }

    private static boolean isName(String s, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (!isNameChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isNameChar(char c) {
        return c == '_' || Character.isLetterOrDigit(c) && c < 128;
    }

    /**
     * Go's {@code ReplaceAllString}: every non-overlapping match replaced by the expanded template, except an empty
     * match right after the previous match (Go's rule, so {@code a*} on {@code baaac} gives {@code -b-c-}, not
     * {@code -b--c-} as a plain Java loop would).
     */
    String replaceAll(Matcher m, String input) {
        m.reset(input);
        StringBuilder out = new StringBuilder(input.length() + 16);
        int copied = 0;
        int lastMatchEnd = 0;
        while (m.find()) {
            if (m.end() > lastMatchEnd || m.start() == 0) {
                out.append(input, copied, m.start());
                expand(m, out);
                copied = m.end();
            }
            lastMatchEnd = m.end();
        }
        out.append(input, copied, input.length());
        return out.toString();
    }

    private void expand(Matcher m, StringBuilder out) {
        for (Object part : parts) {
            if (part instanceof Group g) {
                String value = g.ref() instanceof Integer index ? m.group(index) : m.group((String) g.ref());
                if (value != null) {
                    out.append(value);
                }
            } else {
                out.append((String) part);
            }
        }
    }
}
