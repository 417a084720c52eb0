package dev.switchboard.plugins.matchers;

import dev.switchboard.spi.match.Matcher;
import dev.switchboard.spi.match.MatcherFactory;
import dev.switchboard.spi.match.Modifier;
import dev.switchboard.spi.match.RuleClause;
import dev.switchboard.spi.match.RuleException;
import dev.switchboard.spi.model.Origin;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A frontend rule compiled as the kernel does (split on ';', then at the first ':', arguments on ',' outside
 * braces, trimmed), with this plugin's factories, and run on a {@link TestRequest}: match, then modifiers in order.
 */
final class Rules {
    static final List<MatcherFactory> FACTORIES = List.of(new HostMatcherFactory(), new HostRegexpMatcherFactory(),
            new PathMatcherFactory(), new PathPrefixMatcherFactory(), new MethodMatcherFactory(),
            new HeadersMatcherFactory(), new HeadersRegexpMatcherFactory(), new QueryMatcherFactory(),
            new PathStripFactory(), new PathStripRegexFactory(), new PathPrefixStripFactory(),
            new PathPrefixStripRegexFactory(), new AddPrefixFactory(), new ReplacePathFactory(),
            new ReplacePathRegexFactory());
    private static final Map<String, MatcherFactory> BY_NAME =
            FACTORIES.stream().collect(Collectors.toMap(MatcherFactory::name, Function.identity()));

    final List<Matcher> matchers;

    private Rules(List<Matcher> matchers) {
        this.matchers = matchers;
    }

    static Rules compile(String rule) throws RuleException {
        return compile(rule, false);
    }

    static Rules compile(String rule, boolean keepTrailingSlash) throws RuleException {
        List<Matcher> matchers = new ArrayList<>();
        for (String clause : rule.split(";")) {
            if (clause.isBlank()) {
                continue;
            }
            int colon = clause.indexOf(':');
            String function = (colon < 0 ? clause : clause.substring(0, colon)).trim();
            String raw = colon < 0 ? "" : clause.substring(colon + 1);
            MatcherFactory f = BY_NAME.get(function);
            if (f == null) {
                throw new RuleException("Unknown function " + function);
            }
            matchers.add(f.create(clause(function, raw, keepTrailingSlash)));
        }
        return new Rules(matchers);
    }

    static RuleClause clause(String function, String raw, boolean keepTrailingSlash) {
        return new RuleClause(function, raw, split(raw), keepTrailingSlash, "frontend1", Origin.UNKNOWN);
    }

    static List<String> split(String raw) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i <= raw.length(); i++) {
            char c = i < raw.length() ? raw.charAt(i) : ',';
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            } else if (c == ',' && (depth <= 0 || i == raw.length())) {
                String arg = raw.substring(start, i).trim();
                if (!arg.isEmpty()) {
                    out.add(arg);
                }
                start = i + 1;
            }
        }
        return out;
    }

    boolean matches(TestRequest request) {
        return matchers.stream().allMatch(m -> m.matches(request));
    }

    /**
     * Routes the request: "404" when not matched, otherwise the modifiers run and the result is
     * "&lt;status&gt; &lt;location&gt;" for a response they made, or "200 &lt;path the server receives&gt;".
     */
    String route(TestRequest request) {
        if (!matches(request)) {
            return "404";
        }
        List<Modifier> modifiers = matchers.stream().map(Matcher::modifier).filter(m -> m != null)
                .sorted(Comparator.comparingInt(Modifier::order)).toList();
        for (Modifier m : modifiers) {
            m.apply(request);
            if (request.status != 0) {
                return request.status + (request.location == null ? "" : " " + request.location);
            }
        }
        return "200 " + request.path();
    }

    static Stream<String> names() {
        return FACTORIES.stream().map(MatcherFactory::name);
    }
}
