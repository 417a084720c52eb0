package dev.switchboard.kernel.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/** A proxy on a loopback ephemeral port with a stub router; checks on close that every pooled buffer came back. */
final class ProxyHarness implements AutoCloseable {
    final StubRouter router = new StubRouter();
    final ProxyServer server;

    ProxyHarness(List<String> trusted, UnaryOperator<ProxySettings> tweak) throws IOException {
        ProxySettings.Listener l = new ProxySettings.Listener("http",
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), trusted);
        ProxySettings s = ProxySettings.defaults(List.of(l));
        s = new ProxySettings(s.listeners(), 2, s.readTimeout(), s.writeTimeout(), s.idleTimeout(), s.dialTimeout(),
                s.responseHeaderTimeout(), Duration.ofSeconds(2), s.maxHeaderBytes());
        server = new ProxyServer(tweak.apply(s), () -> router);
        server.start();
    }

    ProxyHarness() throws IOException {
        this(List.of(), s -> s);
    }

    InetSocketAddress address() {
        return server.boundAddress("http");
    }

    TestClient client() throws IOException {
        return new TestClient(address());
    }

    /**
     * The proxy still answers a new client, through a route of its own (ahead of the others) to a healthy server:
     * what a misbehaving peer did cost only its own connection.
     */
    void assertStillServes() throws IOException {
        try (TestBackend healthy = new TestBackend("healthy")) {
            router.rules.add(0, new StubRouter.Rule("healthy.local", "/",
                    StubRouter.frontend("healthy", new StubRouter.Backend("healthy", healthy.upstream()))));
            try (TestClient c = client()) {
                assertEquals(200, c.get("/health", "healthy.local").status(), "the proxy answers a new client");
            } finally {
                router.rules.remove(0);
            }
        }
    }

    static void await(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000); // poll interval, bounded by the deadline
        }
    }

    @Override
    public void close() {
        server.shutdown();
        assertEquals(0, server.outstandingBuffers(), "pooled buffers not returned after shutdown");
    }
}
