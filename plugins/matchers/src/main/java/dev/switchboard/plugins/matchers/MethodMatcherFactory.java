package dev.switchboard.plugins.matchers;

import dev.switchboard.spi.match.Matcher;
import dev.switchboard.spi.match.MatcherFactory;
import dev.switchboard.spi.match.RuleClause;
import dev.switchboard.spi.match.RuleException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.pf4j.Extension;

/**
 * {@code Method: GET, post}: the request method is one of the listed ones, which are upper-cased; the request's
 * method is compared exactly as sent (methods are case-sensitive, RFC 9110 §9.1). A mismatch is a 404, never 405,
 * as in Traefik v1.
 */
@Extension
public final class MethodMatcherFactory implements MatcherFactory {
    @Override
    public String name() {
        return "Method";
    }

    @Override
    public Matcher create(RuleClause clause) throws RuleException {
        Set<String> methods = new HashSet<>();
        for (String m : Arguments.required(clause, "methods separated by ','")) {
            methods.add(m.toUpperCase(Locale.ROOT));
        }
        Set<String> frozen = Set.copyOf(methods);
        return request -> frozen.contains(request.method());
    }
}
