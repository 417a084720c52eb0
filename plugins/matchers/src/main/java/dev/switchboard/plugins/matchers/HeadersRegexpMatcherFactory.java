package dev.switchboard.plugins.matchers;

import dev.switchboard.spi.http.RequestView;
import dev.switchboard.spi.match.Matcher;
import dev.switchboard.spi.match.MatcherFactory;
import dev.switchboard.spi.match.RuleClause;
import dev.switchboard.spi.match.RuleException;
import java.util.Map;
import java.util.regex.Pattern;
import org.pf4j.Extension;

/**
 * {@code HeadersRegexp: Content-Type, application/(text|json)}: key/regexp pairs, AND. A pair holds when one of the
 * field's values contains a match of the regexp (unanchored, as Traefik v1: anchor with {@code ^...$} yourself); a
 * blank regexp asks only for presence.
 */
@Extension
public final class HeadersRegexpMatcherFactory implements MatcherFactory {
    @Override
    public String name() {
        return "HeadersRegexp";
    }

    @Override
    public Matcher create(RuleClause clause) throws RuleException {
        Map<String, String> pairs = HeadersMatcherFactory.pairs(clause);
        String[] keys = new String[pairs.size()];
        Pattern[] patterns = new Pattern[pairs.size()];
        int i = 0;
        for (Map.Entry<String, String> e : pairs.entrySet()) {
            keys[i] = e.getKey();
            patterns[i] = e.getValue().isEmpty() ? null : GoRegex.compile(name(), e.getValue(), e.getValue(), 0, 0);
            i++;
        }
        return new HeadersRegexpMatcher(keys, patterns);
    }

    private record HeadersRegexpMatcher(String[] keys, Pattern[] patterns) implements Matcher {
        @Override
        public boolean matches(RequestView request) {
            for (int i = 0; i < keys.length; i++) {
                String first = request.header(keys[i]);
                if (first == null) {
                    return false;
                }
                Pattern p = patterns[i];
                if (p == null || p.matcher(first).find()) {
                    continue;
                }
                boolean any = false;
                for (String v : request.headers(keys[i])) {
                    if (p.matcher(v).find()) {
                        any = true;
                        break;
                    }
                }
                if (!any) {
                    return false;
                }
            }
            return true;
        }
    }
}
