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
 * {@code HostRegexp: {sub:[a-z]+}.example.com, other.org}: the request's host (port removed) matches one of the host
 * templates, whole and case-insensitively; a variable without pattern matches one label ({@code [^.]+}).
 */
@Extension
public final class HostRegexpMatcherFactory implements MatcherFactory {
    @Override
    public String name() {
        return "HostRegexp";
    }

    @Override
    public Matcher create(RuleClause clause) throws RuleException {
        List<Template> templates = new ArrayList<>();
        for (String h : Arguments.required(clause, "host templates separated by ','")) {
            templates.add(Template.compile(name(), h, Template.Kind.HOST, false));
        }
        Template[] array = templates.toArray(new Template[0]);
        return new HostRegexpMatcher(array);
    }

    private record HostRegexpMatcher(Template[] templates) implements Matcher {
        @Override
        public boolean matches(RequestView request) {
            String host = request.host();
            for (Template t : templates) {
                if (t.matches(host)) {
                    return true;
                }
            }
            return false;
        }
    }
}
