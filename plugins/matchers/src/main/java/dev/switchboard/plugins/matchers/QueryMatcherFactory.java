package dev.switchboard.plugins.matchers;

import dev.switchboard.spi.http.RequestView;
import dev.switchboard.spi.match.Matcher;
import dev.switchboard.spi.match.MatcherFactory;
import dev.switchboard.spi.match.RuleClause;
import dev.switchboard.spi.match.RuleException;
import java.util.ArrayList;
import java.util.List;
import org.pf4j.Extension;

/**
 * {@code Query: a=1, b={id:[0-9]+}, c=}: every item must hold (AND). An item {@code key=value} holds when the
 * <em>first</em> value of parameter {@code key} (percent-decoded) matches the value template whole ({@code a=1&a=2}
 * satisfies {@code a=1}, not {@code a=2}, as in Traefik v1); {@code key=} accepts any value, including none after
 * the {@code =}, as long as the parameter is present.
 */
@Extension
public final class QueryMatcherFactory implements MatcherFactory {
    @Override
    public String name() {
        return "Query";
    }

    @Override
    public Matcher create(RuleClause clause) throws RuleException {
        List<String> keys = new ArrayList<>();
        List<Template> values = new ArrayList<>();
        for (String item : Arguments.required(clause, "key=value items separated by ','")) {
            int eq = item.indexOf('=');
            if (eq < 0) {
                throw new RuleException(name() + ": item '" + item + "' must be key=value (write '" + item
                        + "=' to accept any value)");
            }
            String key = item.substring(0, eq).trim();
            String value = item.substring(eq + 1).trim();
            if (key.isEmpty()) {
                throw new RuleException(name() + ": item '" + item + "' has an empty parameter name");
            }
            if (key.indexOf('{') >= 0 || key.indexOf('}') >= 0) {
                throw new RuleException(name() + ": item '" + item + "': the parameter name cannot be a template"
                        + " (only the value can)");
            }
            keys.add(key);
            values.add(Template.compile(name(), value.isEmpty() ? "{value}" : value, Template.Kind.QUERY_VALUE,
                    false));
        }
        return new QueryMatcher(keys.toArray(new String[0]), values.toArray(new Template[0]));
    }

    private record QueryMatcher(String[] keys, Template[] values) implements Matcher {
        @Override
        public boolean matches(RequestView request) {
            for (int i = 0; i < keys.length; i++) {
                String v = request.queryParameter(keys[i]);
                if (v == null || !values[i].matches(v)) {
                    return false;
                }
            }
            return true;
        }
    }
}
