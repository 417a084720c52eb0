package dev.switchboard.distribution;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on a free loopback port that answers every request {@code 200 text/plain} (or the status set
 * by {@link #answerWith}) with its name on the first line, then the request line, the Host it received and the size
 * of the body it read.
 *
 * <p>It counts requests and the connections they arrived on: each connection has its own client port, so the
 * number of distinct remote addresses is the number of connections the proxy opened to it.
 */
final class TestBackend implements AutoCloseable {
    private final String name;
    private final HttpServer server;
    private final ExecutorService pool;
    private final AtomicInteger requests = new AtomicInteger();
    private final Set<SocketAddress> connections = ConcurrentHashMap.newKeySet();

    /** How long each answer waits, and with which status it comes: both can change while the server runs. */
    private volatile long delayMillis;
    private volatile int status = 200;
    /** What {@code /health} answers (health-check probes; not counted in {@link #requests()}). */
    private final AtomicInteger healthStatus = new AtomicInteger(200);
    private final AtomicInteger healthProbes = new AtomicInteger();

    private TestBackend(String name, long delayMillis) throws IOException {
        this.delayMillis = delayMillis;
        this.name = name;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        this.pool = Executors.newFixedThreadPool(4, task -> {
            Thread thread = new Thread(task, "test-backend-" + name);
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(pool);
        server.createContext("/", exchange -> {
            try (exchange) {
                requests.incrementAndGet();
                connections.add(exchange.getRemoteAddress());
                int bodySize;
                try (InputStream body = exchange.getRequestBody()) {
                    bodySize = body.readAllBytes().length;
                }
                long delay = delayMillis;
                if (delay > 0) {
                    sleep(delay); // a slow server: the answer is due after the delay
                }
                String host = exchange.getRequestHeaders().getFirst("Host");
                byte[] text = (name + "\n" + exchange.getRequestMethod() + " " + exchange.getRequestURI() + "\n"
                        + "host: " + host + "\n" + "body: " + bodySize + " bytes\n")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                exchange.sendResponseHeaders(status, text.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(text);
                }
            }
        });
        server.createContext("/health", exchange -> {
            try (exchange) {
                healthProbes.incrementAndGet();
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(healthStatus.get(), -1);
            }
        });
        server.start();
    }

    /** Makes {@code /health} answer {@code status} from now on. */
    void health(int status) {
        healthStatus.set(status);
    }

    int healthProbes() {
        return healthProbes.get();
    }

    static TestBackend start(String name) throws IOException {
        return new TestBackend(name, 0);
    }

    /** A backend that answers each request only after {@code delayMillis}. */
    static TestBackend slow(String name, long delayMillis) throws IOException {
        return new TestBackend(name, delayMillis);
    }

    /** From now on, answer every request with {@code code} (a failing server: 500; healed: 200). */
    TestBackend answerWith(int code) {
        this.status = code;
        return this;
    }

    /** From now on, answer every request after {@code millis} (0: at once). */
    TestBackend delay(long millis) {
        this.delayMillis = millis;
        return this;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String name() {
        return name;
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** The server URL as a backend's {@code url} key takes it. */
    String url() {
        return "http://127.0.0.1:" + port();
    }

    int requests() {
        return requests.get();
    }

    /** Distinct TCP connections requests arrived on so far. */
    int connections() {
        return connections.size();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    /** A loopback port nothing listens on right now (bound, then released). */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
