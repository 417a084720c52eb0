package dev.switchboard.kernel.net;

import dev.switchboard.kernel.routing.Router;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network side of the proxy: one listening socket per entry point, N selector event loops, client and upstream
 * connections. Reads the current {@link Router} once per request from {@code router}.
 *
 * <p>Life cycle: construct, {@link #start()} (binds every listener or fails naming the entry point and address),
 * {@link #shutdown()} (stop accepting, let in-flight exchanges finish up to the grace timeout, close everything).
 * Thread-safe.
 */
public final class ProxyServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyServer.class);
    /** Pending connections the kernel queues per listener before accepting. */
    private static final int BACKLOG = 1024;

    private final ProxySettings settings;
    private final Supplier<Router> router;
    private final Map<String, InetSocketAddress> bound = new ConcurrentHashMap<>();
    private final Map<String, ListenerContext> listenerContexts = new ConcurrentHashMap<>();
    private int nextInMemoryLoop;
    private boolean driven;
    private final List<ServerSocketChannel> servers = new ArrayList<>();
    private EventLoop[] loops;
    private ProxyContext context;
    private boolean started;
    private boolean stopped;

    public ProxyServer(ProxySettings settings, Supplier<Router> router) {
        this.settings = settings;
        this.router = router;
    }

    /** Binds every entry point and starts the loops. */
    public synchronized void start() throws IOException {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        context = new ProxyContext(settings, router, hostName());
        int n = settings.loopCount();
        loops = new EventLoop[n];
        try {
            for (int i = 0; i < n; i++) {
                loops[i] = new EventLoop(i, context);
            }
            for (ProxySettings.Listener l : settings.listeners()) {
                ListenerContext lc = new ListenerContext(l.entryPoint(), CidrSet.parse(l.trustedProxies()));
                listenerContexts.put(l.entryPoint(), lc);
                ServerSocketChannel server = ServerSocketChannel.open();
                servers.add(server);
                try {
                    server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                    server.bind(l.address(), BACKLOG);
                    server.configureBlocking(false);
                } catch (IOException e) {
                    throw new IOException("entry point " + l.entryPoint() + ": cannot listen on " + l.address()
                            + ": " + e.getMessage(), e);
                }
                InetSocketAddress local = (InetSocketAddress) server.getLocalAddress();
                bound.put(l.entryPoint(), local);
                loops[0].register(server, SelectionKey.OP_ACCEPT, new Acceptor(server, lc, loops));
                LOG.info("entry point {} listening on {}", l.entryPoint(), local);
            }
        } catch (IOException | RuntimeException e) {
            for (ServerSocketChannel s : servers) {
                Acceptor.closeQuietly(s);
            }
            for (EventLoop loop : loops) {
                if (loop != null) {
                    Acceptor.closeQuietly(loop.selector);
                }
            }
            throw e;
        }
        if (!driven) {
            for (EventLoop loop : loops) {
                loop.start();
            }
        }
        LOG.info("{} event loops {}", n, driven ? "ready to be driven" : "started");
    }

    /**
     * Opens an in-memory connection to entry point {@code entryPoint}, served like an accepted TCP connection (by the
     * next loop in turn), and returns the client's end: for benchmarks and tests of the proxy's own work.
     */
    public MemoryChannel connectInMemory(String entryPoint) {
        ListenerContext listener = listenerContexts.get(entryPoint);
        if (listener == null) {
            throw new IllegalArgumentException("no entry point " + entryPoint);
        }
        MemoryChannel[] ends = MemoryChannel.pair(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                bound.get(entryPoint));
        EventLoop loop = loops[Math.floorMod(nextInMemoryLoop++, loops.length)];
        loop.execute(() -> ClientConnection.open(loop, ends[1], listener));
        return ends[0];
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /**
     * The address entry point {@code entryPoint} is bound to (the real port if configured as 0). Does not wait for
     * a shutdown in progress.
     */
    public InetSocketAddress boundAddress(String entryPoint) {
        InetSocketAddress a = bound.get(entryPoint);
        if (a == null) {
            throw new IllegalArgumentException("no such entry point (or not started): " + entryPoint);
        }
        return a;
    }

    /**
     * Starts like {@link #start()} but without the loops' threads: the caller drives every loop with
     * {@link #turnLoops()} (benchmarks of the loop's own work, without thread wake-ups). {@link #shutdown()} hands
     * the loops to their threads first.
     */
    public synchronized void startDriven() throws IOException {
        driven = true;
        start();
    }

    /** One non-blocking turn of every loop, in the calling thread (always the same one); see {@link #startDriven}. */
    public void turnLoops() {
        for (EventLoop loop : loops) {
            loop.turn();
        }
    }

    /** Graceful stop: stop accepting, finish in-flight exchanges up to the grace timeout, close. Blocks until done. */
    public synchronized void shutdown() {
        if (!started || stopped) {
            return;
        }
        if (driven) {
            driven = false;
            for (EventLoop loop : loops) {
                loop.start(); // from here on the loops run on their own threads, as shutting down expects
            }
        }
        stopped = true;
        context.shuttingDown = true;
        LOG.info("shutting down: no new connections; in-flight exchanges have {} to finish", settings.graceTimeout());
        onAllLoops(loop -> {
            boolean closedListener = false;
            for (var key : loop.selector.keys()) {
                if (key.attachment() instanceof Acceptor) {
                    key.cancel();
                    Acceptor.closeQuietly(key.channel());
                    closedListener = true;
                }
            }
            if (closedListener) {
                // A registered channel's socket is really closed when its cancelled key is flushed by a select;
                // do it now, or the kernel keeps accepting connections into the backlog until the loop wakes up.
                try {
                    loop.selector.selectNow();
                } catch (IOException e) {
                    LOG.debug("loop {}: selectNow failed: {}", loop.index, e.toString());
                }
            }
            closeIdle(loop);
        });
        long graceEnd = System.nanoTime() + settings.graceTimeout().toNanos();
        while (System.nanoTime() - graceEnd < 0 && activeExchanges() > 0) {
            onAllLoops(ProxyServer::closeIdle);
            try {
                TimeUnit.MILLISECONDS.sleep(10); // polling the loops' counters; not a synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int unfinished = activeExchanges();
        if (unfinished > 0) {
            LOG.warn("grace timeout {} passed with {} exchanges in flight; closing them", settings.graceTimeout(),
                    unfinished);
        }
        for (EventLoop loop : loops) {
            loop.execute(loop.upstreams::closeAll);
            loop.stop();
        }
        for (EventLoop loop : loops) {
            try {
                loop.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (ServerSocketChannel s : servers) {
            Acceptor.closeQuietly(s);
        }
        LOG.info("proxy stopped");
    }

    private static void closeIdle(EventLoop loop) {
        for (ClientConnection c : loop.clients.snapshot()) {
            if (c.idle()) {
                c.close();
            }
        }
    }

    private void onAllLoops(java.util.function.Consumer<EventLoop> action) {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (EventLoop loop : loops) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            loop.execute(() -> {
                try {
                    action.accept(loop);
                } finally {
                    f.complete(null);
                }
            });
            done.add(f);
        }
        for (CompletableFuture<Void> f : done) {
            try {
                f.get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("a loop did not answer during shutdown: {}", e.toString());
            }
        }
    }

    int activeExchanges() {
        int n = 0;
        for (EventLoop loop : loops) {
            n += loop.activeExchanges();
        }
        return n;
    }

    /** Buffers handed out by the loops' pools and not returned (tests: zero once every connection closed). */
    int outstandingBuffers() {
        int n = 0;
        for (EventLoop loop : loops) {
            n += loop.outstandingBuffers();
        }
        return n;
    }

    /**
     * Client connections holding a request parser, head or request object (tests: zero while every connection is
     * idle between requests, since those are lent by the loop only while a request is on its way). Approximate: read
     * from another thread.
     */
    int connectionsHoldingRequestState() {
        int n = 0;
        for (EventLoop loop : loops) {
            for (ClientConnection c : loop.clients.snapshot()) {
                n += c.holdsRequestState() ? 1 : 0;
            }
        }
        return n;
    }

    /** Client connections open over all loops (tests; approximate: read from another thread). */
    int connections() {
        int n = 0;
        for (EventLoop loop : loops) {
            n += loop.clients.size();
        }
        return n;
    }

    /** Timers queued over all loops (tests; approximate: read from another thread). */
    int queuedTimers() {
        int n = 0;
        for (EventLoop loop : loops) {
            n += loop.timers.size();
        }
        return n;
    }

    /** Idle upstream connections over all loops (tests). */
    int pooledUpstreams() {
        int n = 0;
        for (EventLoop loop : loops) {
            n += loop.upstreams.size();
        }
        return n;
    }

    @Override
    public void close() {
        shutdown();
    }
}
