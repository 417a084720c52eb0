package dev.switchboard.kernel.demo;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded demo backends started by {@code switchboard --demo}: small HTTP servers on loopback, each answering
 * with its own name and an echo of the request it received, at the addresses {@code conf/demo.toml} names.
 * Not on the proxy's data path.
 *
 * <p>Every answer is {@code 200 text/plain}: the backend's name alone on the first line (so a script can
 * {@code head -1} it), then the request line, the query, every header and the body size, as the backend received
 * them after the proxy rewrote the request. The servers are the JDK's {@link HttpServer} (keep-alive included) on a
 * small shared pool of daemon threads.
 *
 * <p>The layout is fixed because {@code conf/demo.toml} names these addresses:
 * <pre>
 *   api            127.0.0.1:9101
 *   web            127.0.0.1:9102
 *   backoffice-1   127.0.0.1:9103   (weight 3 in demo.toml)
 *   backoffice-2   127.0.0.1:9104   (weight 1 in demo.toml)
 * </pre>
 */
public final class DemoBackends implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DemoBackends.class);

    /** The loopback address every demo backend listens on. */
    public static final String HOST = "127.0.0.1";

    /** Name and port of each demo backend, in the order they start; {@code conf/demo.toml} must agree. */
    public static final Map<String, Integer> PORTS = orderedPorts();

    /** At most this much of a request body is echoed; the size is always reported. */
    private static final int MAX_ECHOED_BODY_BYTES = 4096;

    private final List<HttpServer> servers;
    private final ExecutorService pool;

    private DemoBackends(List<HttpServer> servers, ExecutorService pool) {
        this.servers = servers;
        this.pool = pool;
    }

    /** Starts every demo backend; fails if a port is taken, naming it. */
    public static DemoBackends start() throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(4, daemonThreads());
        List<HttpServer> started = new ArrayList<>();
        try {
            for (Map.Entry<String, Integer> backend : PORTS.entrySet()) {
                started.add(startOne(backend.getKey(), backend.getValue(), pool));
            }
        } catch (IOException | RuntimeException e) {
            started.forEach(s -> s.stop(0));
            pool.shutdownNow();
            throw e;
        }
        return new DemoBackends(List.copyOf(started), pool);
    }

    private static HttpServer startOne(String name, int port, ExecutorService pool) throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(HOST), port);
        HttpServer server;
        try {
            server = HttpServer.create(address, 64);
        } catch (BindException e) {
            throw new IOException("demo backend " + name + " cannot listen on " + HOST + ":" + port
                    + ": port " + port + " is already in use (another demo running?); free it and retry", e);
        }
        server.createContext("/", exchange -> answer(name, exchange));
        server.setExecutor(pool);
        server.start();
        LOG.info("demo backend {} listening on http://{}:{}/", name, HOST, port);
        return server;
    }

    private static void answer(String name, HttpExchange exchange) throws IOException {
        try (exchange) {
            long bodySize = 0;
            byte[] echoed = new byte[MAX_ECHOED_BODY_BYTES];
            int echoedLength = 0;
            try (InputStream in = exchange.getRequestBody()) {
                byte[] buffer = new byte[8192];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    int copy = Math.min(n, echoed.length - echoedLength);
                    System.arraycopy(buffer, 0, echoed, echoedLength, copy);
                    echoedLength += copy;
                    bodySize += n;
                }
            }
            String query = exchange.getRequestURI().getRawQuery();
            StringBuilder text = new StringBuilder(512)
                    .append(name).append('\n')
                    .append(exchange.getRequestMethod()).append(' ')
                    .append(exchange.getRequestURI().getRawPath()).append(' ')
                    .append(exchange.getProtocol()).append('\n')
                    .append("query: ").append(query == null ? "" : query).append('\n');
            Headers headers = exchange.getRequestHeaders();
            for (Map.Entry<String, List<String>> header : new TreeMap<>(headers).entrySet()) {
                for (String value : header.getValue()) {
                    text.append(header.getKey()).append(": ").append(value).append('\n');
                }
            }
            text.append("body: ").append(bodySize).append(" bytes\n");
            if (echoedLength > 0) {
                text.append(new String(echoed, 0, echoedLength, StandardCharsets.UTF_8));
                if (bodySize > echoedLength) {
                    text.append("\n[... ").append(bodySize - echoedLength).append(" more bytes]");
                }
                text.append('\n');
            }
            byte[] response = text.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.getResponseHeaders().set("X-Demo-Backend", name);
            boolean head = "HEAD".equalsIgnoreCase(exchange.getRequestMethod());
            exchange.sendResponseHeaders(200, head ? -1 : response.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response);
                }
            }
        }
    }

    /** Stops every demo backend at once; idempotent. */
    @Override
    public void close() {
        for (HttpServer server : servers) {
            server.stop(0);
        }
        pool.shutdownNow();
        try {
            pool.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, Integer> orderedPorts() {
        Map<String, Integer> ports = new java.util.LinkedHashMap<>();
        ports.put("api", 9101);
        ports.put("web", 9102);
        ports.put("backoffice-1", 9103);
        ports.put("backoffice-2", 9104);
        return java.util.Collections.unmodifiableMap(ports);
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "demo-backend-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
