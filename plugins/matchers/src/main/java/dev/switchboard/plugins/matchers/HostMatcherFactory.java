package dev.switchboard.plugins.matchers;

import dev.switchboard.spi.http.RequestView;
import dev.switchboard.spi.match.IndexHint;
import dev.switchboard.spi.match.Matcher;
import dev.switchboard.spi.match.MatcherFactory;
import dev.switchboard.spi.match.RuleClause;
import dev.switchboard.spi.match.RuleException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.pf4j.Extension;

/**
 * {@code Host: a.com, b.com}: the request's host (port removed, lower-cased) equals one of the names, compared
 * case-insensitively. No pattern, no wildcard. As in Traefik v1, a name written with a port
 * ({@code Host: a.com:8080}) never matches, because the request's port is always removed.
 */
@Extension
public final class HostMatcherFactory implements MatcherFactory {
    @Override
    public String name() {
        return "Host";
    }

    @Override
    public Matcher create(RuleClause clause) throws RuleException {
        Set<String> hosts = new LinkedHashSet<>();
        for (String h : Arguments.required(clause, "host names separated by ','")) {
            hosts.add(h.toLowerCase(Locale.ROOT));
        }
        return new HostMatcher(Set.copyOf(hosts));
    }

    private record HostMatcher(Set<String> hosts) implements Matcher {
        @Override
        public boolean matches(RequestView request) {
            String host = request.host();
            return !host.isEmpty() && hosts.contains(host);
        }

        @Override
        public IndexHint indexHint() {
            return IndexHint.hosts(hosts);
        }
    }
}
