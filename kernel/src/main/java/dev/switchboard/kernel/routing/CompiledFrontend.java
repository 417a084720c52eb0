package dev.switchboard.kernel.routing;

import dev.switchboard.spi.http.RequestView;
import dev.switchboard.spi.match.Matcher;
import dev.switchboard.spi.match.Modifier;
import dev.switchboard.spi.model.Frontend;
import java.util.List;
import java.util.Set;

/**
 * One frontend of a {@link RoutingTable}: its matchers (every clause of every route, ANDed), priority, entry points,
 * modifiers in the order they run, and backend. Immutable; shared by every loop.
 */
public final class CompiledFrontend implements FrontendRoute {
    private final Frontend config;
    private final int priority;
    private final List<String> entryPoints;
    private final Matcher[] matchers;
    private final List<Modifier> modifiers;
    private final CompiledBackend backend;
    private final Set<String> hostHint;
    private final List<String> prefixHint;

    CompiledFrontend(Frontend config, int priority, List<String> entryPoints, List<Matcher> matchers,
                     List<Modifier> modifiers, CompiledBackend backend, Set<String> hostHint,
                     List<String> prefixHint) {
        this.config = config;
        this.priority = priority;
        this.entryPoints = List.copyOf(entryPoints);
        this.matchers = matchers.toArray(Matcher[]::new);
        this.modifiers = List.copyOf(modifiers);
        this.backend = backend;
        this.hostHint = hostHint;
        this.prefixHint = prefixHint;
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public boolean passHostHeader() {
        return config.passHostHeader();
    }

    @Override
    public List<Modifier> modifiers() {
        return modifiers;
    }

    @Override
    public CompiledBackend backend() {
        return backend;
    }

    /** The priority routing sorts by: the explicit one if > 0, else the summed length of the routes' rules. */
    public int priority() {
        return priority;
    }

    /** The entry points it is bound to (the defaults applied). */
    public List<String> entryPoints() {
        return entryPoints;
    }

    /** The configuration it was built from. */
    public Frontend config() {
        return config;
    }

    /** Hosts every request it matches is for, or null when its matchers guarantee none. */
    Set<String> hostHint() {
        return hostHint;
    }

    /** Path prefixes one of which every request it matches starts with, or null when no matcher guarantees any. */
    List<String> prefixHint() {
        return prefixHint;
    }

    /** True if every matcher accepts {@code request} (entry point not considered). */
    public boolean matches(RequestView request) {
        for (Matcher m : matchers) {
            if (!m.matches(request)) {
                return false;
            }
        }
        return true;
    }
}
