package dev.switchboard.plugins.matchers;

import dev.switchboard.spi.match.RuleException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One compiled mux template such as {@code /articles/{category}/{id:[0-9]+}} or {@code {sub:[a-z]+}.example.com},
 * compiled as Traefik v1's gorilla/mux fork does ({@code newRouteRegexp}):
 * <ul>
 *   <li>first-level braces delimit variables; braces may nest inside a variable's pattern; unbalanced braces are an
 *       error;</li>
 *   <li>a variable is {@code {name}} or {@code {name:pattern}}, split at the first {@code :}; an empty name or
 *       pattern is an error; the default pattern is {@code [^/]+} for paths, {@code [^.]+} for hosts and
 *       {@code .*} for query values;</li>
 *   <li>the text between variables is literal;</li>
 *   <li>hosts match case-insensitively, paths case-sensitively; hosts, paths and query values are anchored at both
 *       ends, path prefixes only at the start;</li>
 *   <li>with strict slash (paths, unless {@code keepTrailingSlash}), a trailing {@code /} of the template is optional
 *       in the request, and {@link #trailingSlashRedirect} tells where to send a request that differs.</li>
 * </ul>
 * Immutable and thread-safe; {@link #matches} allocates only what {@link Pattern} needs.
 */
final class Template {

    /** What the template is matched against. */
    enum Kind {
        HOST("[^.]+"), PATH("[^/]+"), PATH_PREFIX("[^/]+"), QUERY_VALUE(".*");

        final String defaultPattern;

        Kind(String defaultPattern) {
            this.defaultPattern = defaultPattern;
        }
    }

    private final String template;
    private final Pattern pattern;
    private final boolean prefix;
    private final boolean strictSlash;
    private final String literalHead;
    private final boolean hasVariables;

    private Template(String template, Pattern pattern, boolean prefix, boolean strictSlash, String literalHead,
                     boolean hasVariables) {
        this.template = template;
        this.pattern = pattern;
        this.prefix = prefix;
        this.strictSlash = strictSlash;
        this.literalHead = literalHead;
        this.hasVariables = hasVariables;
    }

    /**
     * Compiles {@code template} for {@code function}.
     *
     * @param strictSlash Traefik's trailing-slash redirects; ignored except for {@link Kind#PATH}
     */
    static Template compile(String function, String template, Kind kind, boolean strictSlash) throws RuleException {
        boolean strict = strictSlash && kind == Kind.PATH;
        List<int[]> braces = braces(function, template);
        String tpl = template;
        if (strict && tpl.endsWith("/")) {
            tpl = tpl.substring(0, tpl.length() - 1);
        }
        StringBuilder regex = new StringBuilder();
        if (kind == Kind.HOST) {
            regex.append("(?i)");
        }
        int end = 0;
        String head = null;
        for (int[] b : braces) {
            String raw = tpl.substring(end, b[0]);
            if (head == null) {
                head = raw;
            }
            String inner = tpl.substring(b[0] + 1, b[1] - 1);
            int colon = inner.indexOf(':');
            String name = colon < 0 ? inner : inner.substring(0, colon);
            String patt = colon < 0 ? kind.defaultPattern : inner.substring(colon + 1);
            if (name.isEmpty() || patt.isEmpty()) {
                throw new RuleException(function + ": missing variable name or pattern in '"
                        + tpl.substring(b[0], b[1]) + "' of '" + template + "' (expected {name} or {name:regexp})");
            }
            int pattOffset = b[0] + 1 + (colon < 0 ? 0 : colon + 1);
            // Each variable's pattern alone first, as mux does, so an error points into what the user wrote.
            if (colon >= 0) {
                GoRegex.compile(function, template, patt, pattOffset, 0);
            }
            if (!raw.isEmpty()) {
                regex.append(Pattern.quote(raw));
            }
            regex.append("(?:").append(GoRegex.toJava(patt)).append(')');
            end = b[1];
        }
        String rest = tpl.substring(end);
        if (head == null) {
            head = rest;
        }
        if (!rest.isEmpty()) {
            regex.append(Pattern.quote(rest));
        }
        if (strict) {
            regex.append("/?");
        }
        Pattern compiled;
        try {
            compiled = Pattern.compile(regex.toString());
        } catch (PatternSyntaxException e) {
            // A variable's pattern that compiles alone but not in context (for example an unmatched ')' closing
            // our group): report it against the whole argument.
            throw new RuleException(function + ": invalid template '" + template + "': " + e.getDescription(), e);
        }
        return new Template(template, compiled, kind == Kind.PATH_PREFIX, strict, head, !braces.isEmpty());
    }

    /** Offsets {start, end (exclusive)} of each first-level {...}, as mux's {@code braceIndices}. */
    private static List<int[]> braces(String function, String s) throws RuleException {
        List<int[]> result = new ArrayList<>();
        int level = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{') {
                if (++level == 1) {
                    start = i;
                }
            } else if (c == '}') {
                if (--level == 0) {
                    result.add(new int[] {start, i + 1});
                } else if (level < 0) {
                    throw new RuleException(function + ": unbalanced braces in '" + s + "': '}' at position " + i
                            + " closes nothing");
                }
            }
        }
        if (level != 0) {
            throw new RuleException(function + ": unbalanced braces in '" + s + "': '{' at position " + start
                    + " is never closed");
        }
        return result;
    }

    /** True if {@code input} matches (whole input, or a prefix of it for path-prefix templates). */
    boolean matches(String input) {
        Matcher m = pattern.matcher(input);
        return prefix ? m.lookingAt() : m.matches();
    }

    /** Length of the prefix of {@code input} this template matches at its start, or -1. */
    int prefixLength(String input) {
        Matcher m = pattern.matcher(input);
        return m.lookingAt() ? m.end() : -1;
    }

    /**
     * For a matching request path under strict slash: the path to redirect to (301) when the request's trailing
     * slash differs from the template's, else null.
     */
    String trailingSlashRedirect(String path) {
        if (!strictSlash) {
            return null;
        }
        boolean requestSlash = path.endsWith("/");
        boolean templateSlash = template.endsWith("/");
        if (requestSlash == templateSlash) {
            return null;
        }
        return requestSlash ? path.substring(0, path.length() - 1) : path + "/";
    }

    /**
     * The literal text every matching input starts with: the template up to its first variable, less a trailing
     * slash made optional by strict slash.
     */
    String literalHead() {
        return literalHead;
    }

    boolean hasVariables() {
        return hasVariables;
    }

    String template() {
        return template;
    }

    @Override
    public String toString() {
        return template;
    }
}
