package dev.switchboard.kernel.net;

import dev.switchboard.kernel.routing.Router;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * What every loop shares: the settings, the router supplier, the name sent as {@code X-Forwarded-Server}, and the
 * connection id counter. Immutable apart from the counter; thread-safe.
 */
final class ProxyContext {
    final ProxySettings settings;
    final Supplier<Router> router;
    final String serverName;
    private final AtomicLong connectionIds = new AtomicLong();
    /** Set once by {@code ProxyServer.shutdown()}: responses from now on close their connection. */
    volatile boolean shuttingDown;

    ProxyContext(ProxySettings settings, Supplier<Router> router, String serverName) {
        this.settings = settings;
        this.router = router;
        this.serverName = serverName;
    }

    long nextConnectionId() {
        return connectionIds.incrementAndGet();
    }
}
