package dev.switchboard.kernel.routing;

import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.config.ConfigProblem;
import dev.switchboard.spi.model.Backend;
import dev.switchboard.spi.model.Configuration;
import dev.switchboard.spi.model.Frontend;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Merges the current configurations of several providers into one, as Traefik v1 merged providers (every
 * frontend and backend of every provider), except that a name defined by two providers is an error naming both
 * rather than one silently shadowing the other.
 *
 * <p>A frontend's backend is looked up in its own provider's configuration, as Traefik v1 did
 * ({@code server/server_configuration.go} resolved {@code config.Backends[frontend.Backend]} per provider and skipped
 * the frontend otherwise): a frontend of one provider naming a backend that only another provider defines is an
 * error naming both. Allowing it would tie one provider's routing to another's contents, so that deleting a
 * backend from etcd would break (and reject) the file's next snapshot.
 */
public final class ConfigurationMerger {
    private ConfigurationMerger() {
    }

    /** Merges {@code byProvider} (provider name to its configuration). */
    public static Configuration merge(Map<String, Configuration> byProvider) throws ConfigException {
        if (byProvider.size() == 1) {
            return byProvider.values().iterator().next();
        }
        Map<String, Frontend> frontends = new HashMap<>();
        Map<String, Backend> backends = new HashMap<>();
        Map<String, String> frontendOwner = new HashMap<>();
        Map<String, String> backendOwner = new HashMap<>();
        Map<String, Set<String>> backendDefiners = new HashMap<>();
        List<ConfigProblem> errors = new ArrayList<>();
        for (Map.Entry<String, Configuration> e : new TreeMap<>(byProvider).entrySet()) {
            String provider = e.getKey();
            for (Frontend f : e.getValue().frontends().values()) {
                String other = frontendOwner.putIfAbsent(f.name(), provider);
                if (other != null) {
                    errors.add(new ConfigProblem(f.origin(), "frontends." + f.name(), "frontend '" + f.name()
                            + "' is defined by provider '" + other + "' (" + frontends.get(f.name()).origin()
                            + ") and by provider '" + provider + "'; names must be unique across providers"));
                } else {
                    frontends.put(f.name(), f);
                }
            }
            for (Backend b : e.getValue().backends().values()) {
                backendDefiners.computeIfAbsent(b.name(), n -> new HashSet<>()).add(provider);
                String other = backendOwner.putIfAbsent(b.name(), provider);
                if (other != null) {
                    errors.add(new ConfigProblem(b.origin(), "backends." + b.name(), "backend '" + b.name()
                            + "' is defined by provider '" + other + "' (" + backends.get(b.name()).origin()
                            + ") and by provider '" + provider + "'; names must be unique across providers"));
                } else {
                    backends.put(b.name(), b);
                }
            }
        }
        for (Frontend f : frontends.values()) {
            String provider = frontendOwner.get(f.name());
            Set<String> definers = f.backend() == null ? null : backendDefiners.get(f.backend());
            // A backend defined by two providers is already an error above; its frontends are not reported again.
            if (definers != null && definers.size() == 1 && !definers.contains(provider)) {
                String owner = definers.iterator().next();
                errors.add(new ConfigProblem(f.origin(), "frontends." + f.name() + ".backend", "frontend '"
                        + f.name() + "' of provider '" + provider + "' uses backend '" + f.backend()
                        + "', which only provider '" + owner + "' defines (" + backends.get(f.backend()).origin()
                        + "); a frontend's backend must be defined by the same provider, as in Traefik v1"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return new Configuration(frontends, backends);
    }
}
