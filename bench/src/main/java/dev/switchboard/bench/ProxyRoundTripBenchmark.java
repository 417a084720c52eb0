package dev.switchboard.bench;

import dev.switchboard.kernel.net.MemoryChannel;
import dev.switchboard.kernel.net.ProxyServer;
import dev.switchboard.kernel.net.ProxySettings;
import dev.switchboard.kernel.routing.BackendRoute;
import dev.switchboard.kernel.routing.FrontendRoute;
import dev.switchboard.kernel.routing.Router;
import dev.switchboard.kernel.routing.Upstream;
import dev.switchboard.spi.http.RequestView;
import dev.switchboard.spi.match.Modifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A whole keep-alive request through one event loop: client → proxy → backend → proxy → client.
 * <ul>
 *   <li>{@code target=proxy}: over loopback TCP; the backend answers a fixed ~100-byte body from a blocking thread
 *       that allocates nothing per request;</li>
 *   <li>{@code target=direct}: the same request to that backend directly, for comparison ({@code -prof gc}'s
 *       {@code gc.alloc.rate.norm} for {@code proxy} minus {@code direct} is the proxy's garbage per request);</li>
 *   <li>{@code target=memory}: through the same loop code over in-memory channels ({@link MemoryChannel}), the loop
 *       driven by the benchmark's own thread ({@link ProxyServer#startDriven}): the client writes into one channel,
 *       the loop turns until the answer is there, the backend answers in the loop as the request arrives. No network
 *       stack and no thread wake-up: the time is the proxy's own work per request (plus a {@code selectNow} per
 *       turn).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ProxyRoundTripBenchmark {
    private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n"
            + "x".repeat(100)).getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] REQUEST = ("GET /hello HTTP/1.1\r\nHost: bench.local\r\nUser-Agent: jmh\r\n"
            + "Accept: */*\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);

    @Param({"proxy", "direct", "memory"})
    public String target;

    /**
     * {@code one}: the same request every time (a keep-alive client polling one URL); {@code many}: 64 different
     * targets with queries in turn, so nothing made from the target can be reused from the request before.
     */
    @Param({"one", "many"})
    public String paths;

    private ServerSocket backend;
    private AutoCloseable memoryBackend;
    private Thread backendThread;
    private ProxyServer proxy;
    private SocketChannel client;
    private ByteBuffer[] requests;
    private int next;
    private ByteBuffer response;
    private int responseLength;

    @Setup(Level.Trial)
    public void start() throws IOException {
        int port;
        if (target.equals("memory")) {
            port = 1; // nothing listens there: the in-memory listener takes the dial
            memoryBackend = MemoryChannel.listen(new InetSocketAddress("127.0.0.1", port), MemoryBackend::new);
        } else {
            backend = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            backendThread = new Thread(this::serveBackend, "bench-backend");
            backendThread.setDaemon(true);
            backendThread.start();
            port = backend.getLocalPort();
        }
        Upstream upstream = new Upstream(null, new InetSocketAddress("127.0.0.1", port), "127.0.0.1:" + port,
                "http://127.0.0.1:" + port);
        BackendRoute backendRoute = new BackendRoute() {
            @Override
            public String name() {
                return "bench";
            }

            @Override
            public Upstream pick(RequestView r) {
                return upstream;
            }

            @Override
            public void record(Upstream u, int status, long latencyNanos) {
            }
        };
        FrontendRoute frontend = new FrontendRoute() {
            @Override
            public String name() {
                return "bench";
            }

            @Override
            public boolean passHostHeader() {
                return false;
            }

            @Override
            public List<Modifier> modifiers() {
                return List.of();
            }

            @Override
            public BackendRoute backend() {
                return backendRoute;
            }
        };
        Router router = r -> frontend;
        ProxySettings defaults = ProxySettings.defaults(List.of(new ProxySettings.Listener("http",
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), List.of())));
        ProxySettings one = new ProxySettings(defaults.listeners(), 1, defaults.readTimeout(), defaults.writeTimeout(),
                defaults.idleTimeout(), defaults.dialTimeout(), defaults.responseHeaderTimeout(),
                defaults.graceTimeout(), defaults.maxHeaderBytes());
        proxy = new ProxyServer(one, () -> router);
        if (target.equals("memory")) {
            proxy.startDriven();
        } else {
            proxy.start();
        }
        if (target.equals("memory")) {
            client = proxy.connectInMemory("http");
        } else {
            client = SocketChannel.open(target.equals("proxy") ? proxy.boundAddress("http")
                    : new InetSocketAddress("127.0.0.1", port));
            client.socket().setTcpNoDelay(true);
        }
        requests = new ByteBuffer[paths.equals("one") ? 1 : 64];
        for (int i = 0; i < requests.length; i++) {
            byte[] bytes = i == 0 ? REQUEST : ("GET /api/items/" + (1000 + i) + "?page=" + i + "&sort=name HTTP/1.1\r\n"
                    + "Host: bench.local\r\nUser-Agent: jmh\r\nAccept: */*\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            requests[i] = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        }
        // learn the length of the response as this target writes it (the proxy rewrites the head)
        response = ByteBuffer.allocateDirect(64 * 1024);
        client.write(requests[0].rewind());
        responseLength = readUntilBody();
    }

    private int readUntilBody() throws IOException {
        response.clear();
        while (true) {
            read(response);
            String text = StandardCharsets.ISO_8859_1.decode(response.duplicate().flip()).toString();
            int end = text.indexOf("\r\n\r\n");
            if (end >= 0 && text.length() >= end + 4 + 100) {
                return end + 4 + 100;
            }
        }
    }

    private void serveBackend() {
        while (true) {
            try (Socket s = backend.accept()) {
                s.setTcpNoDelay(true);
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                byte[] buf = new byte[8192];
                int state = 0;
                int n;
                while ((n = in.read(buf)) > 0) {
                    for (int i = 0; i < n; i++) {
                        byte c = buf[i];
                        state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3))
                                ? state + 1 : 0;
                        if (state == 4) {
                            out.write(RESPONSE);
                            state = 0;
                        }
                    }
                }
            } catch (IOException e) {
                if (backend.isClosed()) {
                    return;
                }
            }
        }
    }

    @Benchmark
    public int roundTrip() throws IOException {
        ByteBuffer request = requests[next];
        next = next + 1 == requests.length ? 0 : next + 1;
        request.rewind();
        while (request.hasRemaining()) {
            client.write(request);
        }
        response.clear().limit(responseLength);
        while (response.hasRemaining()) {
            read(response);
        }
        return response.position();
    }

    /** Reads what has arrived; with in-memory channels, turns the loop when nothing has. */
    private void read(ByteBuffer into) throws IOException {
        int n = client.read(into);
        if (n < 0) {
            throw new IOException("closed");
        }
        if (n == 0 && client instanceof MemoryChannel) {
            proxy.turnLoops();
        }
    }

    /** The backend's end of one in-memory connection: answers each request head as it arrives, in the loop's thread. */
    private static final class MemoryBackend implements Runnable {
        private final MemoryChannel end;
        private final ByteBuffer in = ByteBuffer.allocate(8192);
        private final ByteBuffer out = ByteBuffer.wrap(RESPONSE);
        private int state;

        MemoryBackend(MemoryChannel end) {
            this.end = end;
            end.onChange(this);
        }

        @Override
        public void run() {
            try {
                int n;
                while ((n = end.read(in.clear())) > 0) {
                    for (int i = 0; i < n; i++) {
                        byte c = in.get(i);
                        state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3))
                                ? state + 1 : 0;
                        if (state == 4) {
                            out.rewind();
                            end.write(out); // fits: the proxy's end buffers MemoryChannel.CAPACITY bytes
                            state = 0;
                        }
                    }
                }
            } catch (IOException e) {
                // the proxy closed its end
            }
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        client.close();
        proxy.shutdown();
        if (backend != null) {
            backend.close();
        }
        if (memoryBackend != null) {
            memoryBackend.close();
        }
    }
}
