package dev.switchboard.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A throwaway HTTP/1.1 server on an ephemeral loopback port that answers every request with its own name and what
 * it received ({@link EchoedRequest}), in the body and in the {@value #BACKEND_HEADER} field.
 *
 * <p>It can {@link #hold()} its answers until {@link #release()} (to keep requests in flight deterministically,
 * without sleeping), and {@link #answerWith(int) answer with another status}. Thread-safe.
 */
public final class EchoBackend implements AutoCloseable {
    /** The response field naming the echo backend that answered. */
    public static final String BACKEND_HEADER = "X-Echo-Backend";
    /** How long a held request waits for {@link #release()} at most, so that a forgotten release cannot hang a test. */
    static final Duration MAX_HOLD = Duration.ofSeconds(30);

    private final String name;
    private final HttpServer server;
    private final ExecutorService workers;
    private final List<EchoedRequest> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);
    private volatile int status = 200;

    private EchoBackend(String name) throws IOException {
        this.name = name;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "echo-" + name);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(workers);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts an echo backend called {@code name} on 127.0.0.1 and an ephemeral port. */
    public static EchoBackend start(String name) {
        try {
            return new EchoBackend(name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start echo backend " + name, e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        inFlight.incrementAndGet();
        try (exchange) {
            byte[] requestBody;
            try (InputStream in = exchange.getRequestBody()) {
                requestBody = in.readAllBytes();
            }
            String query = exchange.getRequestURI().getRawQuery();
            EchoedRequest request = new EchoedRequest(name, exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(), query == null ? "" : query, exchange.getRequestHeaders(),
                    new String(requestBody, StandardCharsets.UTF_8));
            received.add(request);
            try {
                gate.get(MAX_HOLD.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                // held too long or closed: answer anyway
            }
            byte[] body = request.toText().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add(BACKEND_HEADER, name);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(status, head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    public String name() {
        return name;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:port}, as written in a {@code [backends.X.servers.Y] url}. */
    public String url() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + port();
    }

    /** Every request received so far, in arrival order. */
    public List<EchoedRequest> received() {
        return new ArrayList<>(received);
    }

    /** How many requests arrived so far. */
    public int requestCount() {
        return received.size();
    }

    /** Requests received and not answered yet (held ones included). */
    public int inFlight() {
        return inFlight.get();
    }

    /** From now on, requests are received and recorded but not answered until {@link #release()} (30 s at most). */
    public EchoBackend hold() {
        if (gate.isDone()) {
            gate = new CompletableFuture<>();
        }
        return this;
    }

    /** Answers every held request and stops holding. */
    public EchoBackend release() {
        gate.complete(null);
        return this;
    }

    /** Answer with {@code status} from now on (200 by default); the body is still the echo. */
    public EchoBackend answerWith(int status) {
        this.status = status;
        return this;
    }

    /** Waits until at least {@code count} requests have arrived, polling up to {@code timeout}. */
    public EchoBackend awaitRequests(int count, Duration timeout) throws TimeoutException {
        Poll.until(timeout, () -> name + " received " + requestCount() + " of " + count + " requests",
                () -> requestCount() >= count);
        return this;
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        workers.shutdownNow();
    }

    @Override
    public String toString() {
        return "echo backend " + name + " at " + url();
    }
}
