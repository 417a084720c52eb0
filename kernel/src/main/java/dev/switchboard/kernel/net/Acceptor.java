package dev.switchboard.kernel.net;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts on one entry point's listening socket (on the first loop) and hands each accepted channel to the next loop
 * in turn; the channel then lives on that loop until it closes.
 */
final class Acceptor implements IoHandler {
    private static final Logger LOG = LoggerFactory.getLogger(Acceptor.class);
    /** At most this many accepts per readiness, so one busy listener cannot starve the loop. */
    private static final int ACCEPTS_PER_WAKEUP = 64;
    /** How long accepting pauses after a failed accept (out of file descriptors, usually). */
    private static final long ACCEPT_PAUSE_MILLIS = 100;

    private final ServerSocketChannel server;
    private final ListenerContext listener;
    private final EventLoop[] loops;
    private int next;

    Acceptor(ServerSocketChannel server, ListenerContext listener, EventLoop[] loops) {
        this.server = server;
        this.listener = listener;
        this.loops = loops;
    }

    @Override
    public void onReady(SelectionKey key) throws IOException {
        for (int i = 0; i < ACCEPTS_PER_WAKEUP; i++) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                // Typically out of file descriptors. The listener stays ready, so stop accepting for a moment
                // instead of spinning on it, and say so once per pause.
                LOG.warn("entry point {}: accept failed, pausing accepts for {} ms: {}", listener.entryPoint(),
                        ACCEPT_PAUSE_MILLIS, e.toString());
                key.interestOps(0);
                EventLoop own = loops[0];
                own.timers.schedule(System.nanoTime() + ACCEPT_PAUSE_MILLIS * 1_000_000L, () -> {
                    if (key.isValid()) {
                        key.interestOps(SelectionKey.OP_ACCEPT);
                    }
                });
                return;
            }
            if (ch == null) {
                return;
            }
            try {
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            } catch (IOException e) {
                LOG.debug("entry point {}: could not set up accepted socket: {}", listener.entryPoint(), e.toString());
                closeQuietly(ch);
                continue;
            }
            EventLoop loop = loops[next];
            next = (next + 1) % loops.length;
            if (loop.inLoop()) {
                ClientConnection.open(loop, ch, listener);
            } else {
                loop.execute(() -> ClientConnection.open(loop, ch, listener));
            }
        }
    }

    @Override
    public void onFailure(Throwable cause) {
        LOG.debug("entry point {}: listener closed: {}", listener.entryPoint(), cause.toString());
    }

    static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }
}
