package dev.switchboard.kernel.net;

import dev.switchboard.kernel.http.HeadPool;
import dev.switchboard.kernel.http.Http1Parser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One selector and the thread that owns it ({@code switchboard-loop-N}). Every channel registered here, its key, its
 * buffers and its connection objects are touched only by this thread; another thread reaches the loop only through
 * {@link #execute(Runnable)}, which queues the task and wakes the selector (Jetty's {@code ManagedSelector} pattern).
 * Also owns the loop's {@link BufferPool}, {@link TimerQueue} and {@link UpstreamPool}.
 *
 * <p>Nothing a peer does can stop the loop: a handler that throws is closed through {@link IoHandler#onFailure} and
 * the loop goes on.
 */
final class EventLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);

    final int index;
    final Selector selector;
    final BufferPool buffers = new BufferPool();
    final TimerQueue timers = new TimerQueue();
    /** Where heads are encoded before they are copied into a connection's output (see {@link HeadBuffer}). */
    final HeadBuffer heads = new HeadBuffer();
    /** The scan array every parser on this loop shares: its contents never outlive one parse call. */
    final HeadPool headPool = new HeadPool();
    final AddressNames addressNames = new AddressNames();
    final SpareList<ProxyRequest> spareRequests = new SpareList<>(256, ProxyRequest::new);
    /** Request parsers of connections between requests (an idle connection holds none). */
    final SpareList<Http1Parser> spareParsers;
    final UpstreamPool upstreams;
    final ProxyContext context;
    /** This loop's client connections, linked through the connections themselves (no set entry per connection). */
    final ClientConnection.Registry clients = new ClientConnection.Registry();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile int activeExchanges;

    EventLoop(int index, ProxyContext context) throws IOException {
        this.index = index;
        this.context = context;
        this.selector = Selector.open();
        this.upstreams = new UpstreamPool();
        int maxHeaderBytes = context.settings.maxHeaderBytes();
        this.spareParsers = new SpareList<>(1024,
                () -> new Http1Parser(Http1Parser.Mode.REQUEST, maxHeaderBytes, headPool));
        this.thread = new Thread(this, "switchboard-loop-" + index);
        this.thread.setDaemon(true);
    }

    /** Set while another thread drives this loop turn by turn ({@link #turn}) instead of its own. */
    private volatile Thread driver;

    void start() {
        driver = null;
        thread.start();
    }

    boolean inLoop() {
        Thread t = Thread.currentThread();
        return t == thread || t == driver;
    }

    /**
     * One non-blocking turn of the loop in the calling thread, for a benchmark that measures the loop's own work
     * without thread wake-ups: the loop's thread is not started, and only the first thread to call this drives it.
     */
    void turn() {
        if (driver == null) {
            driver = Thread.currentThread();
        }
        turn(false);
    }

    /** Runs {@code task} on this loop's thread, soon. Any thread. */
    void execute(Runnable task) {
        tasks.add(task);
        if (!inLoop()) {
            selector.wakeup();
        }
    }

    SelectionKey register(SelectableChannel channel, int ops, IoHandler handler) {
        if (channel instanceof MemoryChannel m) {
            MemoryChannel.Key k = m.register(this, ops, handler);
            memoryKeys.add(k);
            return k;
        }
        try {
            return channel.register(selector, ops, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Number of client connections of this loop with an exchange in flight (any thread, approximate). */
    int activeExchanges() {
        return activeExchanges;
    }

    void exchangeStarted() {
        activeExchanges++;
    }

    void exchangeEnded() {
        activeExchanges--;
    }

    int outstandingBuffers() {
        return buffers.outstanding();
    }

    /** Stops the loop after closing every channel on it. Any thread; returns at once. */
    void stop() {
        running = false;
        selector.wakeup();
    }

    void join(long millis) throws InterruptedException {
        thread.join(millis);
    }

    /** Keys of in-memory channels ({@link MemoryChannel}: benchmarks, tests), checked after each select. */
    private final List<MemoryChannel.Key> memoryKeys = new ArrayList<>();

    /** An in-memory channel of this loop became ready (any thread, under the channel's lock). */
    void wakeUpFor(MemoryChannel.Key key) {
        if (!inLoop()) {
            selector.wakeup();
        }
    }

    private boolean memoryDue() {
        for (int i = 0; i < memoryKeys.size(); i++) {
            if (memoryKeys.get(i).due()) {
                return true;
            }
        }
        return false;
    }

    private void dispatchMemory() {
        for (int i = 0; i < memoryKeys.size(); i++) {
            MemoryChannel.Key k = memoryKeys.get(i);
            if (!k.isValid()) {
                memoryKeys.remove(i--);
            } else if (k.due()) {
                dispatch(k);
            }
        }
    }

    // Bound once: a method reference or capturing lambda in the loop below would be a new object per iteration.
    private final Consumer<SelectionKey> dispatcher = this::dispatch;
    private final Consumer<Throwable> timerFailure = this::timerFailed;

    @Override
    public void run() {
        while (running) {
            turn(true);
        }
        closeAll();
    }

    private void turn(boolean mayBlock) {
        try {
            long wait = timers.millisUntilNext(System.nanoTime());
            // The consumer forms of select hand each ready key over without filling the selected-key set
            // (which costs a HashMap node per ready key per select).
            if (!mayBlock || wait == 0 || !tasks.isEmpty() || (!memoryKeys.isEmpty() && memoryDue())) {
                selector.selectNow(dispatcher);
            } else {
                selector.select(dispatcher, wait < 0 ? 0 : wait);
            }
            if (!memoryKeys.isEmpty()) {
                dispatchMemory();
            }
            runTasks();
            timers.runDue(System.nanoTime(), timerFailure);
        } catch (Throwable t) {
            LOG.error("loop {}: unexpected failure, continuing", index, t);
        }
    }

    private void timerFailed(Throwable t) {
        LOG.warn("loop {}: timer task failed", index, t);
    }

    private void dispatch(SelectionKey key) {
        IoHandler handler = (IoHandler) key.attachment();
        if (!key.isValid()) {
            return;
        }
        try {
            handler.onReady(key);
        } catch (Throwable t) {
            try {
                handler.onFailure(t);
            } catch (Throwable again) {
                LOG.warn("loop {}: failure handler threw", index, again);
            }
        }
    }

    private void runTasks() {
        Runnable task;
        int budget = 1024;
        while (budget-- > 0 && (task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (Throwable t) {
                LOG.warn("loop {}: task failed", index, t);
            }
        }
    }

    private void closeAll() {
        runTasks();
        List<SelectionKey> keys = new ArrayList<>(selector.keys());
        keys.addAll(memoryKeys);
        for (SelectionKey key : keys) {
            Object a = key.attachment();
            if (a instanceof IoHandler h) {
                try {
                    h.onFailure(new IOException("loop stopped"));
                } catch (Throwable t) {
                    LOG.debug("loop {}: close failed", index, t);
                }
            }
            try {
                key.channel().close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.debug("loop {}: selector close failed", index, e);
        }
    }
}
