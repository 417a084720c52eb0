package dev.switchboard.kernel.balance;

import dev.switchboard.kernel.routing.Upstream;
import dev.switchboard.spi.http.RequestView;
import dev.switchboard.spi.model.Backend;
import java.util.List;

/**
 * What the kernel adds to a backend's balancer (reference §3, backend chain: retry, maxConn, empty backend, sticky):
 * the sticky cookie, the in-flight limit, the number of tries, and the servers' health. Immutable; built with the
 * backend for one configuration generation; read by every loop.
 *
 * @param sticky        the sticky cookie, or null
 * @param limiter       the {@code maxConn} limiter, or null
 * @param attempts      tries in all for a request that never reached a server (1: no retry)
 * @param health        the servers' health, or null without active health checks
 */
public record BackendBalancing(StickyCookie sticky, ConnectionLimiter limiter, int attempts, BackendHealth health) {

    /** No stickiness, no limit, one try, no health checks. */
    public static final BackendBalancing NONE = new BackendBalancing(null, null, 1, null);

    /**
     * Builds {@code backend}'s features. {@code previous} (may be null) is the same backend's in the generation
     * serving now: its limiter is kept when {@code maxConn} is unchanged, so requests in flight across a reload
     * still count. Problems that make the backend invalid are thrown; others are added to {@code warnings}.
     *
     * @throws IllegalArgumentException with a message for the user (an unknown {@code extractorFunc})
     */
    public static BackendBalancing build(Backend backend, List<Upstream> upstreams, BackendBalancing previous,
                                         BalancingSettings settings, List<String> warnings) {
        StickyCookie sticky = StickyCookie.of(backend.name(), backend.loadBalancer(), upstreams);
        ConnectionLimiter limiter;
        if (previous != null && previous.limiter() != null && previous.limiter().config().equals(backend.maxConn())) {
            limiter = previous.limiter();
        } else {
            limiter = ConnectionLimiter.of(backend.maxConn());
        }
        int attempts = settings.retryAttempts() < 0 ? 1
                : settings.retryAttempts() == 0 ? Math.max(1, upstreams.size()) : settings.retryAttempts();
        BackendHealth health = settings.healthChecker() == null ? null
                : settings.healthChecker().healthFor(backend.name(), backend.healthCheck(), upstreams, warnings);
        if (sticky == null && limiter == null && attempts == 1 && health == null) {
            return NONE;
        }
        return new BackendBalancing(sticky, limiter, attempts, health);
    }

    /** The server the request's sticky cookie names, if in rotation; else null. */
    public Upstream stuck(RequestView request) {
        return sticky == null ? null : sticky.stuck(request, health);
    }
}
