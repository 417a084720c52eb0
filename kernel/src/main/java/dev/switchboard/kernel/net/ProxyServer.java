package dev.switchboard.kernel.net;

import dev.switchboard.kernel.routing.Router;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * The network side of the proxy: one listening socket per entry point, N selector event loops, client and upstream
 * connections. Reads the current {@link Router} once per request from {@code router}.
 *
 * <p>Life cycle: construct, {@link #start()} (binds every listener or fails naming the entry point and address),
 * {@link #shutdown()} (stop accepting, let in-flight exchanges finish up to the grace timeout, close everything).
 * Thread-safe.
 */
public final class ProxyServer implements AutoCloseable {
    private final ProxySettings settings;
    private final Supplier<Router> router;

    public ProxyServer(ProxySettings settings, Supplier<Router> router) {
        this.settings = settings;
        this.router = router;
    }

    /** Binds every entry point and starts the loops. */
    public void start() throws IOException {
        throw new UnsupportedOperationException("not built yet");
    }

    /** The address entry point {@code entryPoint} is bound to (the real port if configured as 0). */
    public InetSocketAddress boundAddress(String entryPoint) {
        throw new UnsupportedOperationException("not built yet");
    }

    /** Graceful stop: stop accepting, finish in-flight exchanges up to the grace timeout, close. Blocks until done. */
    public void shutdown() {
    }

    @Override
    public void close() {
        shutdown();
    }
}
