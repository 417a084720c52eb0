package dev.switchboard.kernel.routing;

import dev.switchboard.kernel.balance.BackendBalancing;
import dev.switchboard.kernel.balance.BalancingSettings;
import dev.switchboard.kernel.breaker.BreakerCompiler;
import dev.switchboard.kernel.breaker.CircuitBreaker;
import dev.switchboard.kernel.plugin.ExtensionRegistry;
import dev.switchboard.kernel.plugin.GuardedMatcherFactory;
import dev.switchboard.kernel.plugin.GuardedBalancer;
import dev.switchboard.kernel.plugin.RegisteredBalancerFactory;
import dev.switchboard.spi.balance.Balancer;
import dev.switchboard.spi.balance.BalancerContext;
import dev.switchboard.spi.breaker.ExpressionCompiler;
import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.config.ConfigProblem;
import dev.switchboard.spi.match.IndexHint;
import dev.switchboard.spi.match.Matcher;
import dev.switchboard.spi.match.Modifier;
import dev.switchboard.spi.match.RuleClause;
import dev.switchboard.spi.match.RuleException;
import dev.switchboard.spi.model.Backend;
import dev.switchboard.spi.model.Configuration;
import dev.switchboard.spi.model.Frontend;
import dev.switchboard.spi.model.Origin;
import dev.switchboard.spi.model.Route;
import dev.switchboard.spi.model.Server;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;

/**
 * Compiles one (merged) {@link Configuration} into a {@link RoutingTable}: rules tokenized and built by the matcher
 * plugins, frontends ordered and bound to entry points, backends' balancers built by the balancer plugins, server
 * addresses resolved, circuit breakers built (expressions compiled by the plugin of their language). All or nothing:
 * every problem of the snapshot is collected (each naming frontend or backend, route, key, file and line) and thrown
 * together, and nothing is published.
 *
 * <p>Runs off the event loops (it resolves host names). Not thread-safe; one compile at a time.
 */
public final class RoutingCompiler {
    private final ExtensionRegistry registry;
    private final RoutingSettings settings;
    private final BalancingSettings balancing;
    private final Executor breakerChecks;

    /** Breakers built here check their condition inline, on the loop whose outcome made a check due. */
    public RoutingCompiler(ExtensionRegistry registry, RoutingSettings settings) {
        this(registry, settings, BalancingSettings.NONE, null);
    }

    /**
     * @param balancing     the kernel's balancing features ({@code [retry]}, health checks)
     * @param breakerChecks where circuit breakers evaluate their conditions (off the event loops), or null to
     *                      evaluate them inline on the loop whose outcome made a check due
     */
    public RoutingCompiler(ExtensionRegistry registry, RoutingSettings settings, BalancingSettings balancing,
                           Executor breakerChecks) {
        this.registry = registry;
        this.settings = settings;
        this.balancing = balancing;
        this.breakerChecks = breakerChecks;
    }

    /** The result: the table and the warnings met while building it. */
    public record Result(RoutingTable table, List<ConfigProblem> warnings) {
    }

    /**
     * Compiles {@code config}. {@code previous} (may be null) is the table serving now: a backend's balancer of that
     * table is handed to the factory of the same method as {@code previous}, so its state survives the reload.
     */
    public Result compile(Configuration config, RoutingTable previous) throws ConfigException {
        List<ConfigProblem> errors = new ArrayList<>();
        List<ConfigProblem> warnings = new ArrayList<>();

        Map<String, CompiledBackend> backends = new LinkedHashMap<>();
        for (Backend b : config.backends().values()) {
            CompiledBackend cb = compileBackend(b, previous, errors, warnings);
            if (cb != null) {
                backends.put(b.name(), cb);
            }
        }

        List<CompiledFrontend> frontends = new ArrayList<>();
        for (Frontend f : config.frontends().values()) {
            CompiledFrontend cf = compileFrontend(f, config, backends, errors);
            if (cf != null) {
                frontends.add(cf);
                if (cf.hostHint() != null && cf.hostHint().isEmpty()) {
                    warnings.add(new ConfigProblem(f.origin(), "frontends." + f.name() + ".routes",
                            "frontend '" + f.name() + "' can never match: its rules require hosts that have none in "
                                    + "common (routes are ANDed; list alternatives in one Host clause)"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        frontends.sort(Comparator.comparingInt(CompiledFrontend::priority).reversed()
                .thenComparing(CompiledFrontend::name));
        return new Result(new RoutingTable(frontends, backends, settings.entryPoints()), warnings);
    }

    private CompiledFrontend compileFrontend(Frontend f, Configuration config, Map<String, CompiledBackend> backends,
                                             List<ConfigProblem> errors) {
        String base = "frontends." + f.name();
        int before = errors.size();

        List<String> entryPoints = f.entryPoints().isEmpty() ? settings.defaultEntryPoints() : f.entryPoints();
        for (String ep : entryPoints) {
            if (!settings.entryPoints().contains(ep)) {
                String hint = Suggestions.closest(ep, settings.entryPoints());
                errors.add(new ConfigProblem(f.origin(), base + ".entryPoints", "frontend '" + f.name()
                        + "': unknown entry point \"" + ep + "\"" + (hint == null ? "" : "; did you mean \"" + hint
                        + "\"?") + " (defined: " + String.join(", ", settings.entryPoints()) + ")"));
            }
        }
        if (f.entryPoints().isEmpty() && settings.defaultEntryPoints().isEmpty()) {
            errors.add(new ConfigProblem(f.origin(), base + ".entryPoints", "frontend '" + f.name()
                    + "' names no entry point and defaultEntryPoints names none that is defined"));
        }

        CompiledBackend backend = null;
        if (f.backend() == null || f.backend().isBlank()) {
            errors.add(new ConfigProblem(f.origin(), base + ".backend", "frontend '" + f.name()
                    + "' has no backend; expected the name of one of [backends]"));
        } else if (!config.backends().containsKey(f.backend())) {
            String hint = Suggestions.closest(f.backend(), config.backends().keySet());
            errors.add(new ConfigProblem(f.origin(), base + ".backend", "frontend '" + f.name()
                    + "': unknown backend \"" + f.backend() + "\"" + (hint == null ? "" : "; did you mean \"" + hint
                    + "\"?")));
        } else {
            backend = backends.get(f.backend());
        }

        List<Matcher> matchers = new ArrayList<>();
        int ruleLength = 0;
        for (Route r : f.routes().values()) {
            String key = base + ".routes." + r.name() + ".rule";
            Origin origin = r.origin() == null || r.origin().line() == 0 ? f.origin() : r.origin();
            String prefix = "frontend '" + f.name() + "', route '" + r.name() + "', rule \"" + r.rule() + "\": ";
            ruleLength += r.rule() == null ? 0 : r.rule().length();
            List<RuleClause> clauses;
            try {
                clauses = RuleTokenizer.tokenize(r.rule(), settings.keepTrailingSlash(), f.name(), origin);
            } catch (RuleException e) {
                errors.add(new ConfigProblem(origin, key, prefix + e.getMessage()));
                continue;
            }
            for (RuleClause c : clauses) {
                GuardedMatcherFactory factory = registry.matcher(c.function());
                if (factory == null) {
                    String hint = Suggestions.closest(c.function(), registry.matcherNames());
                    errors.add(new ConfigProblem(origin, key, prefix + "unknown function \"" + c.function() + "\""
                            + (hint == null ? "" : "; did you mean \"" + hint + "\"?")
                            + " (known: " + String.join(", ", registry.matcherNames()) + ")"));
                    continue;
                }
                try {
                    matchers.add(factory.create(c));
                } catch (RuleException e) {
                    errors.add(new ConfigProblem(origin, key, prefix + e.getMessage()));
                }
            }
        }
        if (errors.size() > before) {
            return null;
        }
        int priority = f.priority() > 0 ? f.priority() : ruleLength;
        List<Modifier> modifiers = matchers.stream().map(Matcher::modifier).filter(m -> m != null)
                .sorted(Comparator.comparingInt(Modifier::order)).collect(Collectors.toList());
        return new CompiledFrontend(f, priority, entryPoints, matchers, modifiers, backend, hostHint(matchers),
                prefixHint(matchers));
    }

    /** The path prefixes of the first matcher that guarantees some, or null. */
    private static List<String> prefixHint(List<Matcher> matchers) {
        for (Matcher m : matchers) {
            IndexHint hint = m.indexHint();
            if (hint != null && hint.pathPrefixes() != null) {
                return hint.pathPrefixes();
            }
        }
        return null;
    }

    /** The intersection of the host sets the matchers guarantee, or null if none guarantees any. */
    private static Set<String> hostHint(List<Matcher> matchers) {
        Set<String> hosts = null;
        for (Matcher m : matchers) {
            IndexHint hint = m.indexHint();
            if (hint == null || hint.hosts() == null) {
                continue;
            }
            Set<String> these = hint.hosts().stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
            if (hosts == null) {
                hosts = new HashSet<>(these);
            } else {
                hosts.retainAll(these);
            }
        }
        return hosts == null ? null : Set.copyOf(hosts);
    }

    private CompiledBackend compileBackend(Backend b, RoutingTable previous, List<ConfigProblem> errors,
                                           List<ConfigProblem> warnings) {
        String base = "backends." + b.name();
        int before = errors.size();
        List<Upstream> upstreams = new ArrayList<>();
        List<Server> servers = new ArrayList<>();
        for (Server s : b.servers().values()) {
            Origin origin = s.origin() == null || s.origin().line() == 0 ? b.origin() : s.origin();
            String key = base + ".servers." + s.name();
            Upstream u = upstream(b, s, origin, key, errors, warnings);
            if (u != null) {
                upstreams.add(u);
                servers.add(s);
            }
        }
        String method = b.loadBalancer().method();
        RegisteredBalancerFactory factory = registry.balancer(method);
        if (factory == null) {
            String hint = Suggestions.closest(method, registry.balancerNames());
            errors.add(new ConfigProblem(b.origin(), base + ".loadBalancer.method", "backend '" + b.name()
                    + "': unknown load-balancing method \"" + method + "\"" + (hint == null ? "" : "; did you mean \""
                    + hint + "\"?") + " (known: " + String.join(", ", registry.balancerNames()) + ")"));
        }
        CircuitBreaker breaker = b.circuitBreaker() == null ? null : compileBreaker(b, previous, errors);
        if (errors.size() > before || factory == null) {
            return null;
        }
        Balancer inherited = null;
        if (previous != null) {
            CompiledBackend old = previous.backends().get(b.name());
            if (old != null && old.balancer().ref().equals(factory.ref())) {
                inherited = old.balancer().unwrap();
            }
        }
        try {
            GuardedBalancer balancer = factory.create(new BalancerContext(b, servers, inherited,
                    settings.allowMinWeightZero()));
            BackendBalancing features = balancing(b, upstreams, balancer, previous, errors, warnings);
            return features == null ? null : new CompiledBackend(b, balancer, upstreams, features, breaker);
        } catch (ConfigException e) {
            for (ConfigProblem p : e.problems()) {
                Origin origin = p.origin() == null || p.origin().line() == 0 ? b.origin() : p.origin();
                String key = p.key() == null || p.key().isEmpty() ? base + ".loadBalancer" : p.key();
                errors.add(new ConfigProblem(origin, key, "backend '" + b.name() + "': " + p.message()));
            }
            return null;
        }
    }

    /** Stickiness, maxConn, retries and health ({@code kernel.balance}); null after adding an error. */
    private BackendBalancing balancing(Backend b, List<Upstream> upstreams, GuardedBalancer balancer,
                                       RoutingTable previous, List<ConfigProblem> errors,
                                       List<ConfigProblem> warnings) {
        CompiledBackend old = previous == null ? null : previous.backends().get(b.name());
        List<String> notes = new ArrayList<>();
        BackendBalancing features;
        try {
            features = BackendBalancing.build(b, upstreams, old == null ? null : old.balancing(), balancing, notes);
        } catch (IllegalArgumentException e) {
            errors.add(new ConfigProblem(b.origin(), "backends." + b.name() + ".maxConn.extractorFunc", "backend '"
                    + b.name() + "': " + e.getMessage()));
            return null;
        }
        for (String note : notes) {
            warnings.add(new ConfigProblem(b.origin(), "backends." + b.name() + ".healthCheck", "backend '"
                    + b.name() + "': " + note));
        }
        if (features.health() != null) {
            for (int i = 0; i < upstreams.size(); i++) {
                if (!features.health().inRotation(i)) {
                    balancer.setAvailable(upstreams.get(i).server(), false); // out until a probe passes
                }
            }
        }
        return features;
    }

    /**
     * The backend's circuit breaker, one metrics stripe per event loop, its expression compiled by the plugin of its
     * language. It carries the previous generation's breaker over (state, timers, ramp, window) when the backend keeps
     * the same servers (names and URLs): its servers' health is what the window measured. Problems go to
     * {@code errors} with file, line and key, so the snapshot is rejected (Traefik v1 silently dropped the frontend).
     */
    private CircuitBreaker compileBreaker(Backend b, RoutingTable previous, List<ConfigProblem> errors) {
        Map<String, ExpressionCompiler> compilers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String language : registry.compilerNames()) {
            compilers.put(language, registry.compiler(language));
        }
        CircuitBreaker carried = null;
        CompiledBackend old = previous == null ? null : previous.backends().get(b.name());
        if (old != null && old.breaker() != null && sameServers(old.config(), b)) {
            carried = old.breaker();
        }
        try {
            return BreakerCompiler.compile(b, compilers, settings.eventLoops(), carried, breakerChecks);
        } catch (ConfigException e) {
            for (ConfigProblem p : e.problems()) {
                Origin origin = p.origin() == null || p.origin().line() == 0 ? b.origin() : p.origin();
                errors.add(new ConfigProblem(origin, p.key(), "backend '" + b.name() + "': " + p.message()));
            }
            return null;
        }
    }

    private static boolean sameServers(Backend a, Backend b) {
        if (!a.servers().keySet().equals(b.servers().keySet())) {
            return false;
        }
        for (Map.Entry<String, Server> e : a.servers().entrySet()) {
            if (!java.util.Objects.equals(e.getValue().url(), b.servers().get(e.getKey()).url())) {
                return false;
            }
        }
        return true;
    }

    private static Upstream upstream(Backend b, Server s, Origin origin, String key, List<ConfigProblem> errors,
                                     List<ConfigProblem> warnings) {
        String prefix = "backend '" + b.name() + "', server '" + s.name() + "': ";
        if (s.url() == null) {
            errors.add(new ConfigProblem(origin, key + ".url", prefix + "missing url; expected for example "
                    + "\"http://10.0.0.1:80\""));
            return null;
        }
        String scheme = s.url().getScheme() == null ? "" : s.url().getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("h2c")) {
            errors.add(new ConfigProblem(origin, key + ".url", prefix + "url \"" + s.url() + "\" has scheme \""
                    + scheme + "\"; expected http, https or h2c"));
            return null;
        }
        String host = s.host();
        if (host == null || host.isEmpty()) {
            errors.add(new ConfigProblem(origin, key + ".url", prefix + "url \"" + s.url() + "\" has no host; "
                    + "expected for example \"http://10.0.0.1:80\""));
            return null;
        }
        int port = s.port();
        if (port < 1 || port > 65535) {
            errors.add(new ConfigProblem(origin, key + ".url", prefix + "url \"" + s.url() + "\" has port " + port
                    + "; expected 1 to 65535"));
            return null;
        }
        if (s.weight() < 0) {
            errors.add(new ConfigProblem(origin, key + ".weight", prefix + "weight " + s.weight()
                    + " is negative; expected 0 or more"));
            return null;
        }
        InetSocketAddress address;
        try {
            address = new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            address = InetSocketAddress.createUnresolved(host, port);
            warnings.add(new ConfigProblem(origin, key + ".url", prefix + "host \"" + host + "\" does not resolve "
                    + "now; requests to it get 502 until a reload resolves it"));
        }
        String hostText = host.toLowerCase(Locale.ROOT);
        String authority = (hostText.contains(":") ? "[" + hostText + "]" : hostText) + ":" + port;
        return new Upstream(s, address, authority, scheme + "://" + authority);
    }
}
