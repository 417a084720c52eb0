package dev.switchboard.plugins.matchers;

import dev.switchboard.spi.http.RequestView;
import dev.switchboard.spi.match.Matcher;
import dev.switchboard.spi.match.MatcherFactory;
import dev.switchboard.spi.match.RuleClause;
import dev.switchboard.spi.match.RuleException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pf4j.Extension;

/**
 * {@code Headers: Content-Type, application/json, X-Api, v1}: key/value pairs, all of which must hold (AND). A pair
 * holds when the request has the field and one of its values (one per field line) equals the value exactly; a blank
 * value ({@code Headers: X-Api, }) asks only that the field is present. Field names are case-insensitive. As in
 * Traefik v1 (a Go map), a key given twice keeps its last value.
 */
@Extension
public final class HeadersMatcherFactory implements MatcherFactory {
    @Override
    public String name() {
        return "Headers";
    }

    @Override
    public Matcher create(RuleClause clause) throws RuleException {
        Map<String, String> pairs = pairs(clause);
        String[] keys = pairs.keySet().toArray(new String[0]);
        String[] values = pairs.values().toArray(new String[0]);
        return new HeadersMatcher(keys, values);
    }

    /** Key/value pairs of a {@code Headers}-like clause, keys lower-cased, last value of a repeated key kept. */
    static Map<String, String> pairs(RuleClause clause) throws RuleException {
        List<String> args = Arguments.splitKeepingBlanks(clause.rawArguments());
        if (args.isEmpty()) {
            throw new RuleException(clause.function() + ": needs key, value pairs separated by ','");
        }
        if (args.size() % 2 != 0) {
            throw new RuleException(clause.function() + ": needs key, value pairs separated by ',', got "
                    + args.size() + " item(s) " + args + "; the last key has no value (write 'Key, ' with a blank"
                    + " value to require only its presence)");
        }
        Map<String, String> pairs = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i += 2) {
            String key = args.get(i);
            if (key.isEmpty()) {
                throw new RuleException(clause.function() + ": empty field name at item " + (i + 1) + " of " + args);
            }
            pairs.put(key.toLowerCase(Locale.ROOT), args.get(i + 1));
        }
        return pairs;
    }

    private record HeadersMatcher(String[] keys, String[] values) implements Matcher {
        @Override
        public boolean matches(RequestView request) {
            for (int i = 0; i < keys.length; i++) {
                String expected = values[i];
                if (expected.isEmpty()) {
                    if (request.header(keys[i]) == null) {
                        return false;
                    }
                    continue;
                }
                String first = request.header(keys[i]);
                if (first == null) {
                    return false;
                }
                if (!first.equals(expected) && !request.headers(keys[i]).contains(expected)) {
                    return false;
                }
            }
            return true;
        }
    }
}
