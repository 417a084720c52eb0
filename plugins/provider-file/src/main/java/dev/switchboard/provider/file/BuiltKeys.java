package dev.switchboard.provider.file;

import java.util.Set;

/**
 * The dynamic configuration keys whose behaviour the proxy has built. Every other key of Traefik v1's schema is
 * accepted, bound into the model, and reported once per load with a warning naming file, line and key, so that a
 * user never believes a setting is in force when it is not. Extend this set as features land (and update
 * {@code docs/configuration.md}).
 *
 * <p>Patterns use the canonical key names (as in Traefik v1's documentation; matching is case-insensitive) with
 * {@code *} for a name the user chooses (a frontend, backend, server, route). A pattern covers everything under
 * it; a key that is a prefix of a pattern (for example {@code backends.*.loadBalancer}) is a container and is not
 * reported itself.
 */
final class BuiltKeys {

    static final Set<String> PATTERNS = Set.of(
            "frontends.*.entryPoints",
            "frontends.*.backend",
            "frontends.*.passHostHeader",
            "frontends.*.priority",
            "frontends.*.routes.*.rule",
            "backends.*.servers.*.url",
            "backends.*.servers.*.weight",
            "backends.*.loadBalancer.method",
            "backends.*.loadBalancer.sticky",
            "backends.*.loadBalancer.stickiness",
            "backends.*.healthCheck",
            "backends.*.maxConn",
            "backends.*.circuitBreaker");

    enum Status { BUILT, CONTAINER, NOT_BUILT }

    private BuiltKeys() {
    }

    static Status status(String pattern) {
        String p = pattern;
        while (true) {
            if (PATTERNS.contains(p)) {
                return Status.BUILT;
            }
            int dot = p.lastIndexOf('.');
            if (dot < 0) {
                break;
            }
            p = p.substring(0, dot);
        }
        String prefix = pattern + ".";
        for (String built : PATTERNS) {
            if (built.startsWith(prefix)) {
                return Status.CONTAINER;
            }
        }
        return Status.NOT_BUILT;
    }
}
