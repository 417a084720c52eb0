package dev.switchboard.kernel.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One end of an in-memory, connected, non-blocking byte stream that an event loop drives exactly as it drives a TCP
 * socket (the same {@code ClientConnection} and {@code UpstreamConnection} code, buffers and parser): for benchmarks
 * and tests that measure the proxy's own work without the network stack. Not used unless asked for:
 * {@link ProxyServer#connectInMemory} hands a client end to the proxy as if accepted, and {@link #listen} makes a
 * server address dial in memory.
 *
 * <p>Each end has an inbound buffer of {@link #CAPACITY} bytes that the other end writes into; a full buffer makes
 * writes short (backpressure, as a socket's send buffer). An end registered with a loop is ready for reading when it
 * has bytes or its peer shut its output, and for writing when its peer has room; the loop is woken when another
 * thread makes it ready. Thread-safe: both ends share one lock.
 */
public final class MemoryChannel extends SocketChannel {
    /** Bytes an end buffers before writes to it become short. */
    public static final int CAPACITY = 256 * 1024;

    private static final Map<InetSocketAddress, Consumer<MemoryChannel>> LISTENERS = new ConcurrentHashMap<>();

    private final Object lock;
    private final ByteBuffer inbound = ByteBuffer.allocate(CAPACITY); // write mode: bytes from the peer
    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    private MemoryChannel peer;
    private boolean peerOutputShut;
    private boolean outputShut;
    private boolean open = true;
    private Key key;
    private Runnable onChange;

    private MemoryChannel(Object lock, InetSocketAddress local, InetSocketAddress remote) {
        super(SelectorProvider.provider());
        this.lock = lock;
        this.local = local;
        this.remote = remote;
    }

    /** A connected pair: {@code [0]} at {@code a}, {@code [1]} at {@code b}; what one writes the other reads. */
    public static MemoryChannel[] pair(InetSocketAddress a, InetSocketAddress b) {
        Object lock = new Object();
        MemoryChannel x = new MemoryChannel(lock, a, b);
        MemoryChannel y = new MemoryChannel(lock, b, a);
        x.peer = y;
        y.peer = x;
        return new MemoryChannel[] {x, y};
    }

    /**
     * Makes connections to {@code address} from any loop in this JVM in-memory: each new connection's far end is
     * handed to {@code server} (on the dialing loop's thread). Closing the result stops it.
     */
    public static AutoCloseable listen(InetSocketAddress address, Consumer<MemoryChannel> server) {
        LISTENERS.put(address, server);
        return () -> LISTENERS.remove(address, server);
    }

    /** A connected channel to {@code address} if something {@link #listen}s there in memory, else null. */
    static SocketChannel dial(InetSocketAddress address) {
        if (LISTENERS.isEmpty()) {
            return null;
        }
        Consumer<MemoryChannel> server = LISTENERS.get(address);
        if (server == null) {
            return null;
        }
        MemoryChannel[] ends = pair(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), address);
        server.accept(ends[1]);
        return ends[0];
    }

    /**
     * Runs {@code task} in the peer's thread each time the peer writes to this end, reads what this end wrote (so
     * there is room for more) or shuts its output: how a passive end (a benchmark's backend) answers, and goes on
     * writing a long answer, without a thread of its own.
     */
    public void onChange(Runnable task) {
        synchronized (lock) {
            this.onChange = task;
        }
    }

    /** Waits until this end has bytes to read or its peer shut its output (for a blocking user of an end). */
    public void awaitInput() throws InterruptedException {
        awaitInput(0);
    }

    /** As {@link #awaitInput()}, for at most {@code millis} (0: no limit); false if that time passed first. */
    public boolean awaitInput(long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000L;
        synchronized (lock) {
            while (inbound.position() == 0 && !peerOutputShut && open) {
                long left = millis == 0 ? 0 : (end - System.nanoTime()) / 1_000_000L;
                if (millis != 0 && left <= 0) {
                    return false;
                }
                lock.wait(left);
            }
            return true;
        }
    }

    // ------------------------------------------------------------------------------------------------ the stream

    @Override
    public int read(ByteBuffer dst) throws IOException {
        Runnable task;
        int n;
        synchronized (lock) {
            if (!open) {
                throw new ClosedChannelException();
            }
            if (inbound.position() == 0) {
                return peerOutputShut ? -1 : 0;
            }
            inbound.flip();
            n = Math.min(dst.remaining(), inbound.remaining());
            int limit = inbound.limit();
            inbound.limit(inbound.position() + n);
            dst.put(inbound);
            inbound.limit(limit);
            inbound.compact();
            if (n > 0) {
                peer.signal(); // room for the peer's writes
            }
            task = n > 0 ? peer.onChange : null;
        }
        if (task != null) {
            task.run();
        }
        return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        Runnable task;
        int n;
        synchronized (lock) {
            if (!open || outputShut) {
                throw new ClosedChannelException();
            }
            if (!peer.open) {
                throw new IOException("Connection reset by peer");
            }
            n = Math.min(src.remaining(), peer.inbound.remaining());
            if (n > 0) {
                int limit = src.limit();
                src.limit(src.position() + n);
                peer.inbound.put(src);
                src.limit(limit);
                peer.signal();
            }
            task = n > 0 ? peer.onChange : null;
        }
        if (task != null) {
            task.run();
        }
        return n;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            int n = read(dsts[i]);
            if (n < 0) {
                return total == 0 ? -1 : total;
            }
            total += n;
            if (dsts[i].hasRemaining()) {
                break;
            }
        }
        return total;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            total += write(srcs[i]);
            if (srcs[i].hasRemaining()) {
                break;
            }
        }
        return total;
    }

    @Override
    public SocketChannel shutdownOutput() {
        Runnable task;
        synchronized (lock) {
            if (outputShut) {
                return this;
            }
            outputShut = true;
            peer.peerOutputShut = true;
            peer.signal();
            task = peer.onChange;
        }
        if (task != null) {
            task.run();
        }
        return this;
    }

    @Override
    public SocketChannel shutdownInput() {
        return this;
    }

    @Override
    protected void implCloseSelectableChannel() {
        Runnable task = null;
        synchronized (lock) {
            if (!open) {
                return;
            }
            open = false;
            if (!outputShut) {
                outputShut = true;
                peer.peerOutputShut = true;
                task = peer.onChange;
            }
            peer.signal();
            signal();
        }
        if (task != null) {
            task.run();
        }
    }

    /** Someone may be waiting for this end: a blocking reader, or the loop it is registered with. Under the lock. */
    private void signal() {
        lock.notifyAll();
        if (key != null) {
            key.loop.wakeUpFor(key);
        }
    }

    // ------------------------------------------------------------------------------------------------ readiness

    /** Registration with an event loop, standing in for the selector's key; see {@link EventLoop#register}. */
    Key register(EventLoop loop, int ops, IoHandler handler) {
        synchronized (lock) {
            key = new Key(this, loop, ops);
            key.attach(handler);
            return key;
        }
    }

    private int readyOps() {
        synchronized (lock) {
            int ops = 0;
            if (inbound.position() > 0 || peerOutputShut || !open) {
                ops |= SelectionKey.OP_READ;
            }
            if (!open || !peer.open || peer.inbound.hasRemaining()) {
                ops |= SelectionKey.OP_WRITE;
            }
            return ops;
        }
    }

    /** The key of an end registered with a loop: ready operations are computed from the buffers. */
    static final class Key extends SelectionKey {
        private final MemoryChannel channel;
        final EventLoop loop;
        private volatile int interest;
        private volatile boolean valid = true;

        private Key(MemoryChannel channel, EventLoop loop, int interest) {
            this.channel = channel;
            this.loop = loop;
            this.interest = interest;
        }

        /** Whether the loop should call the handler now. */
        boolean due() {
            return valid && (channel.readyOps() & interest) != 0;
        }

        @Override
        public SelectableChannel channel() {
            return channel;
        }

        @Override
        public Selector selector() {
            return loop.selector;
        }

        @Override
        public boolean isValid() {
            return valid && channel.isOpen();
        }

        @Override
        public void cancel() {
            valid = false;
        }

        @Override
        public int interestOps() {
            return interest;
        }

        @Override
        public SelectionKey interestOps(int ops) {
            interest = ops;
            return this;
        }

        @Override
        public int readyOps() {
            return channel.readyOps() & interest;
        }
    }

    // ------------------------------------------------------------------------------------------------ the rest

    @Override
    public boolean connect(SocketAddress remote) {
        return true; // connected from the start
    }

    @Override
    public boolean finishConnect() {
        return true;
    }

    @Override
    public boolean isConnected() {
        return true;
    }

    @Override
    public boolean isConnectionPending() {
        return false;
    }

    @Override
    public SocketAddress getRemoteAddress() {
        return remote;
    }

    @Override
    public SocketAddress getLocalAddress() {
        return local;
    }

    @Override
    public SocketChannel bind(SocketAddress local) {
        return this;
    }

    @Override
    public <T> SocketChannel setOption(SocketOption<T> name, T value) {
        return this; // nothing to tune in memory
    }

    @Override
    public <T> T getOption(SocketOption<T> name) {
        return null;
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return Set.of();
    }

    @Override
    public Socket socket() {
        throw new UnsupportedOperationException("an in-memory channel has no socket");
    }

    @Override
    protected void implConfigureBlocking(boolean block) {
        // reads and writes never block; awaitInput is the blocking form
    }
}
