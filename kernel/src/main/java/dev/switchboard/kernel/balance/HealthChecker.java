package dev.switchboard.kernel.balance;

import dev.switchboard.kernel.routing.CompiledBackend;
import dev.switchboard.kernel.routing.RoutingTable;
import dev.switchboard.kernel.routing.Upstream;
import dev.switchboard.spi.balance.Balancer;
import dev.switchboard.spi.model.HealthCheck;
import dev.switchboard.spi.model.Server;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active health checks (reference §5.10): every server of a backend with {@code [healthCheck] path} is probed with
 * {@code GET path} every interval (30 s, or the static {@code [healthcheck] interval}); it is healthy iff it answers
 * a status from 200 to 399 within the timeout (5 s). A server that fails ({@code fall} times in a row, default 1)
 * leaves rotation through {@link Balancer#setAvailable}, keeping its weight, and returns after {@code rise}
 * successes (default 1); each change is logged once, naming backend, server and reason.
 *
 * <p><b>Thread.</b> Probes run on one daemon thread of its own ({@code switchboard-health}) with its own selector:
 * connect, write and read are non-blocking, so one thread carries any number of probes at once, each bounded by its
 * timeout, and none of it ever runs on (or adds latency to) an event loop. The loops' timer queues were the other
 * choice; a dedicated thread keeps probe bursts of large configurations off client traffic and needs no change to
 * the network layer. The thread only reads its own sockets and calls {@code setAvailable}, which the SPI makes
 * thread-safe.
 *
 * <p><b>Generations.</b> {@link #healthFor} is called while a configuration is compiled (configuration thread): it
 * hands out each server's {@link ServerHealth}, the same object as before when the backend had that server already,
 * so health survives a reload. {@link #adopt} is called once the generation is published: it binds each state to the
 * new balancer (telling it which servers are out), starts probing new servers and stops probing servers and
 * backends that are gone.
 */
public final class HealthChecker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);
    /** Traefik v1's default {@code [healthcheck] interval}. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    /** Traefik v1's fixed probe timeout (here the default of {@code healthCheck.timeout}). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** Bytes of a response read at most: the status line must come within them. */
    private static final int MAX_STATUS_LINE = 1024;

    private final Duration defaultInterval;
    private final Map<String, ServerHealth> states = new HashMap<>(); // guarded by this
    private volatile List<ServerHealth> active = List.of();
    private Selector selector;                                          // guarded by this until started
    private Thread thread;
    private volatile boolean running = true;

    /** {@code defaultInterval}: the static {@code [healthcheck] interval} (null: 30 s). */
    public HealthChecker(Duration defaultInterval) {
        this.defaultInterval = defaultInterval == null || defaultInterval.isZero() ? DEFAULT_INTERVAL
                : defaultInterval;
    }

    /** One backend of a published generation, as {@link #adopt} needs it. */
    public record Bound(String backend, BackendHealth health, Balancer balancer, List<Server> servers) {
    }

    /**
     * The health of {@code backend}'s servers for a generation being compiled, or null when {@code check} asks for
     * no health check. A reason it cannot be built (an https probe) is added to {@code warnings} and gives null.
     */
    public synchronized BackendHealth healthFor(String backend, HealthCheck check, List<Upstream> upstreams,
                                                List<String> warnings) {
        if (check == null || check.path() == null || check.path().isBlank()) {
            return null;
        }
        List<ServerHealth> servers = new ArrayList<>();
        List<ProbeSpec> specs = new ArrayList<>();
        for (Upstream u : upstreams) {
            String scheme = (check.scheme() != null ? check.scheme() : u.server().url().getScheme())
                    .toLowerCase(Locale.ROOT);
            if (scheme.equals("https")) {
                warnings.add("healthCheck: accepted, not built yet: probes over https (server " + u.server().name()
                        + "); the backend's servers stay in rotation");
                return null;
            }
            servers.add(states.computeIfAbsent(backend + "\n" + u.poolKey(), k -> new ServerHealth(backend,
                    u.poolKey())));
            specs.add(spec(check, u));
        }
        return new BackendHealth(servers, specs);
    }

    private ProbeSpec spec(HealthCheck check, Upstream u) {
        Server s = u.server();
        int port = check.port() > 0 ? check.port() : s.port();
        InetSocketAddress address = u.address() == null || u.address().isUnresolved()
                ? InetSocketAddress.createUnresolved(s.host(), port)
                : new InetSocketAddress(u.address().getAddress(), port);
        String host = s.host().contains(":") ? "[" + s.host() + "]" : s.host();
        String authority = host + ":" + port;
        String target = target(s.url(), check.path());
        StringBuilder head = new StringBuilder(128);
        head.append("GET ").append(target).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(check.hostname() != null ? check.hostname() : authority).append("\r\n");
        boolean agent = false;
        for (Map.Entry<String, String> h : check.headers().entrySet()) {
            String lower = h.getKey().toLowerCase(Locale.ROOT);
            if (Set.of("host", "connection", "content-length", "transfer-encoding").contains(lower)) {
                continue; // the probe's framing and target are ours
            }
            agent |= lower.equals("user-agent");
            head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        if (!agent) {
            head.append("User-Agent: switchboard-health-check\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        Duration interval = check.interval() != null && !check.interval().isZero() ? check.interval()
                : defaultInterval;
        Duration timeout = check.timeout() != null && !check.timeout().isZero() ? check.timeout()
                : DEFAULT_TIMEOUT;
        return new ProbeSpec(address, "http://" + authority + target,
                head.toString().getBytes(StandardCharsets.ISO_8859_1), interval.toNanos(), timeout.toNanos(),
                Math.max(1, check.rise()), Math.max(1, check.fall()));
    }

    /** Traefik v1: {@code serverURL.Parse(path)}: the path (query allowed) resolved against the server URL. */
    static String target(URI server, String path) {
        String p = path.trim();
        try {
            String basePath = server.getRawPath() == null || server.getRawPath().isEmpty() ? "/" : server.getRawPath();
            URI resolved = URI.create("http://base" + basePath).resolve(p);
            String rp = resolved.getRawPath() == null || resolved.getRawPath().isEmpty() ? "/" : resolved.getRawPath();
            return resolved.getRawQuery() == null ? rp : rp + "?" + resolved.getRawQuery();
        } catch (IllegalArgumentException e) {
            return p.startsWith("/") ? p : "/" + p;
        }
    }

    /**
     * The generation made of {@code backends} is published: bind every server's health to its balancer (servers
     * out of rotation are reported to it; backends without a health check get all their servers back), probe the
     * servers it has, and stop probing the others.
     */
    public void adopt(List<Bound> backends) {
        List<ServerHealth> next = new ArrayList<>();
        synchronized (this) {
            Set<ServerHealth> kept = new HashSet<>();
            for (Bound b : backends) {
                for (int i = 0; i < b.servers().size(); i++) {
                    Server server = b.servers().get(i);
                    if (b.health() == null) {
                        b.balancer().setAvailable(server, true);
                        continue;
                    }
                    ServerHealth h = b.health().server(i);
                    h.bind(new ServerHealth.Binding(b.balancer(), server), b.health().spec(i));
                    b.balancer().setAvailable(server, h.up());
                    kept.add(h);
                    next.add(h);
                }
            }
            states.values().removeIf(h -> !kept.contains(h));
            if (!next.isEmpty() && thread == null) {
                try {
                    selector = Selector.open();
                } catch (IOException e) {
                    LOG.error("health checks cannot start: no selector: {}", e.toString());
                    return;
                }
                thread = new Thread(this::run, "switchboard-health");
                thread.setDaemon(true);
                thread.start();
            }
        }
        active = List.copyOf(next);
        LOG.debug("health checks: probing {} servers", next.size());
        Selector s = selector;
        if (s != null) {
            s.wakeup();
        }
    }

    /** {@link #adopt(List)} for every backend of {@code table}, just published. */
    public void adopt(RoutingTable table) {
        List<Bound> bound = new ArrayList<>();
        for (CompiledBackend b : table.backends().values()) {
            List<Server> servers = new ArrayList<>();
            for (Upstream u : b.upstreams()) {
                servers.add(u.server());
            }
            bound.add(new Bound(b.name(), b.balancing().health(), b.balancer(), servers));
        }
        adopt(bound);
    }

    /** Servers probed now (tests). */
    int probed() {
        return active.size();
    }

    @Override
    public void close() {
        running = false;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            selector.wakeup();
            try {
                t.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ the thread

    /** One probe in flight. */
    private static final class Probe {
        final ServerHealth target;
        final ProbeSpec spec;
        final long deadline;
        final ByteBuffer out;
        final ByteBuffer in = ByteBuffer.allocate(MAX_STATUS_LINE);
        SocketChannel channel;

        Probe(ServerHealth target, ProbeSpec spec, long now) {
            this.target = target;
            this.spec = spec;
            this.deadline = now + spec.timeoutNanos();
            this.out = ByteBuffer.wrap(spec.request());
        }
    }

    private void run() {
        List<Probe> inFlight = new ArrayList<>();
        while (running) {
            try {
                long now = System.nanoTime();
                long wait = TimeUnit.SECONDS.toNanos(60);
                for (ServerHealth h : active) {
                    ProbeSpec spec = h.spec;
                    if (spec == null) {
                        continue;
                    }
                    if (h.rescheduled) {
                        h.rescheduled = false;
                        h.nextDue = now;
                    }
                    if (!h.probing && h.nextDue - now <= 0) {
                        h.nextDue = now + spec.intervalNanos();
                        start(new Probe(h, spec, now), inFlight);
                    }
                    if (!h.probing) {
                        wait = Math.min(wait, h.nextDue - now);
                    }
                }
                for (Iterator<Probe> it = inFlight.iterator(); it.hasNext(); ) {
                    Probe p = it.next();
                    if (p.deadline - now <= 0) {
                        it.remove();
                        finish(p, false, "no answer within " + Duration.ofNanos(p.spec.timeoutNanos()));
                    } else {
                        wait = Math.min(wait, p.deadline - now);
                    }
                }
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait) + 1));
                for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                    SelectionKey key = it.next();
                    it.remove();
                    Probe p = (Probe) key.attachment();
                    if (step(p, key)) {
                        inFlight.remove(p);
                    }
                }
            } catch (Throwable t) {
                LOG.warn("health checks: unexpected failure, continuing", t);
            }
        }
        for (Probe p : inFlight) {
            close(p);
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // stopping anyway
        }
    }

    private void start(Probe p, List<Probe> inFlight) {
        p.target.probing = true;
        if (p.spec.address().isUnresolved()) {
            finish(p, false, "host " + p.spec.address().getHostString() + " does not resolve");
            return;
        }
        try {
            SocketChannel ch = SocketChannel.open();
            p.channel = ch;
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            boolean connected = ch.connect(p.spec.address());
            ch.register(selector, connected ? SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT, p);
            inFlight.add(p);
        } catch (IOException | RuntimeException e) {
            finish(p, false, "connect failed: " + e.getMessage());
        }
    }

    /** Makes progress on {@code p}; true when it is finished. */
    private boolean step(Probe p, SelectionKey key) {
        try {
            if (key.isConnectable()) {
                if (!p.channel.finishConnect()) {
                    return false;
                }
                key.interestOps(SelectionKey.OP_WRITE);
            }
            if (key.isValid() && (key.interestOps() & SelectionKey.OP_WRITE) != 0) {
                p.channel.write(p.out);
                if (!p.out.hasRemaining()) {
                    key.interestOps(SelectionKey.OP_READ);
                }
                return false;
            }
            if (key.isValid() && key.isReadable()) {
                int n = p.channel.read(p.in);
                int status = statusOf(p.in);
                if (status > 0) {
                    boolean ok = status >= 200 && status < 400;
                    finish(p, ok, "status " + status);
                    return true;
                }
                if (status == 0 || n < 0 || !p.in.hasRemaining()) {
                    finish(p, false, n < 0 && p.in.position() == 0 ? "closed without answering"
                            : "malformed response");
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            finish(p, false, e.getMessage() == null ? e.toString() : e.getMessage());
            return true;
        }
    }

    /**
     * The status of the status line in {@code in} (bytes {@code [0, position)}): positive when complete, -1 while
     * incomplete, 0 when it is not an HTTP/1.x status line.
     */
    static int statusOf(ByteBuffer in) {
        int n = in.position();
        int eol = -1;
        for (int i = 0; i < n; i++) {
            if (in.get(i) == '\n') {
                eol = i;
                break;
            }
        }
        if (eol < 0) {
            return -1;
        }
        String line = new String(in.array(), 0, eol, StandardCharsets.ISO_8859_1).trim();
        if (!line.startsWith("HTTP/1.") || line.length() < 12 || line.charAt(8) != ' ') {
            return 0;
        }
        try {
            int status = Integer.parseInt(line.substring(9, 12));
            return status >= 100 && status <= 999 ? status : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void finish(Probe p, boolean healthy, String detail) {
        close(p);
        p.target.probing = false;
        LOG.debug("health check of backend {}: {} -> {}", p.target.backend, p.spec.url(), detail);
        try {
            p.target.result(healthy, detail);
        } catch (RuntimeException e) {
            LOG.warn("health checks: applying a result for backend {} failed", p.target.backend, e);
        }
    }

    private static void close(Probe p) {
        if (p.channel != null) {
            try {
                p.channel.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }
}
