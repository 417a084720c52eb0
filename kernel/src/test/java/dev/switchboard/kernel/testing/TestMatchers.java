package dev.switchboard.kernel.testing;

import dev.switchboard.spi.balance.Balancer;
import dev.switchboard.spi.balance.BalancerContext;
import dev.switchboard.spi.balance.BalancerFactory;
import dev.switchboard.spi.http.RequestView;
import dev.switchboard.spi.match.IndexHint;
import dev.switchboard.spi.match.Matcher;
import dev.switchboard.spi.match.MatcherFactory;
import dev.switchboard.spi.match.Modifier;
import dev.switchboard.spi.match.RequestRewrite;
import dev.switchboard.spi.match.RuleClause;
import dev.switchboard.spi.match.RuleException;
import dev.switchboard.spi.model.Server;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.pf4j.Extension;

/**
 * Tiny stand-ins for the real matchers and balancers (which live in plugins the kernel must not depend on),
 * registered on the test class path through {@code META-INF/extensions.idx}.
 */
public final class TestMatchers {
    private TestMatchers() {
    }

    private static List<String> args(RuleClause c) throws RuleException {
        if (c.arguments().isEmpty()) {
            throw new RuleException(c.function() + " needs at least one value");
        }
        return c.arguments();
    }

    /** {@code Host: a, b}: case-insensitive host equality, OR; indexable by host. */
    @Extension
    public static final class Host implements MatcherFactory {
        @Override
        public String name() {
            return "Host";
        }

        @Override
        public Matcher create(RuleClause clause) throws RuleException {
            Set<String> hosts = args(clause).stream().map(h -> h.toLowerCase(Locale.ROOT))
                    .collect(Collectors.toUnmodifiableSet());
            return new Matcher() {
                @Override
                public boolean matches(RequestView request) {
                    return hosts.contains(request.host());
                }

                @Override
                public IndexHint indexHint() {
                    return IndexHint.hosts(hosts);
                }
            };
        }
    }

    /** {@code PathPrefix: /a, /b}: byte-wise prefix, OR. */
    @Extension
    public static final class PathPrefix implements MatcherFactory {
        @Override
        public String name() {
            return "PathPrefix";
        }

        @Override
        public Matcher create(RuleClause clause) throws RuleException {
            List<String> prefixes = args(clause);
            for (String p : prefixes) {
                if (!p.startsWith("/")) {
                    throw new RuleException("path prefix \"" + p + "\" must start with /");
                }
            }
            return new Matcher() {
                @Override
                public boolean matches(RequestView request) {
                    for (String p : prefixes) {
                        if (request.path().startsWith(p)) {
                            return true;
                        }
                    }
                    return false;
                }

                @Override
                public IndexHint indexHint() {
                    return IndexHint.pathPrefixes(prefixes);
                }
            };
        }
    }

    /** {@code Method: GET, POST}. */
    @Extension
    public static final class Method implements MatcherFactory {
        @Override
        public String name() {
            return "Method";
        }

        @Override
        public Matcher create(RuleClause clause) throws RuleException {
            Set<String> methods = args(clause).stream().map(m -> m.toUpperCase(Locale.ROOT))
                    .collect(Collectors.toUnmodifiableSet());
            return request -> methods.contains(request.method());
        }
    }

    private record Rewrite(int order, String name, String value) implements Modifier {
        @Override
        public void apply(RequestRewrite request) {
            request.addHeader("X-Applied", name);
            request.setPath(order == ADD_PREFIX ? value + request.path() : value);
        }
    }

    /** {@code AddPrefix: /p}: matches everything, prefixes the path. */
    @Extension
    public static final class AddPrefix implements MatcherFactory {
        @Override
        public String name() {
            return "AddPrefix";
        }

        @Override
        public Matcher create(RuleClause clause) throws RuleException {
            Modifier m = new Rewrite(Modifier.ADD_PREFIX, "AddPrefix", args(clause).get(0));
            return new Matcher() {
                @Override
                public boolean matches(RequestView request) {
                    return true;
                }

                @Override
                public Modifier modifier() {
                    return m;
                }
            };
        }
    }

    /** {@code ReplacePath: /x}: matches everything, replaces the path. */
    @Extension
    public static final class ReplacePath implements MatcherFactory {
        @Override
        public String name() {
            return "ReplacePath";
        }

        @Override
        public Matcher create(RuleClause clause) throws RuleException {
            Modifier m = new Rewrite(Modifier.REPLACE_PATH, "ReplacePath", args(clause).get(0));
            return new Matcher() {
                @Override
                public boolean matches(RequestView request) {
                    return true;
                }

                @Override
                public Modifier modifier() {
                    return m;
                }
            };
        }
    }

    /**
     * {@code wrr} stand-in: plain round robin. Counts how often it was handed a previous balancer, so reload tests
     * can see state carried over.
     */
    @Extension
    public static final class RoundRobin implements BalancerFactory {
        @Override
        public String name() {
            return "wrr";
        }

        @Override
        public Balancer create(BalancerContext context) {
            List<Server> servers = context.servers();
            AtomicInteger next = context.previous() instanceof Cursor c ? c.next : new AtomicInteger();
            return new Cursor(servers, next, context.previous() != null);
        }
    }

    /** The round-robin balancer; {@code inherited} tells whether it was built with a previous one. */
    public record Cursor(List<Server> servers, AtomicInteger next, boolean inherited) implements Balancer {
        @Override
        public Server pick(RequestView request) {
            return servers.isEmpty() ? null : servers.get(Math.floorMod(next.getAndIncrement(), servers.size()));
        }
    }
}
