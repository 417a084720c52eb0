package dev.switchboard.kernel.net;

import dev.switchboard.kernel.http.Http1Parser;
import dev.switchboard.kernel.http.HttpLimits;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection from the proxy to one server, living on the loop of the client connection that uses it. Either owned
 * by one {@link ClientConnection} for one exchange at a time (which drives it: readiness is passed to the owner), or
 * idle in its loop's {@link UpstreamPool}, where any readiness means the server closed it or misbehaved, and it is
 * discarded.
 */
final class UpstreamConnection extends Endpoint {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamConnection.class);

    final long id;
    final String poolKey;
    final InetSocketAddress address;
    final Http1Parser parser;
    /** {@code dialTimeout}: while the connection is being established (here, not on every client connection). */
    final TimerQueue.Deadline dialDeadline;
    ClientConnection owner;
    boolean connected;
    /** Carried a previous exchange: a failure before any response byte may be a close that raced our request. */
    boolean reused;
    /** The server cannot take more of our request (write failed); we still read its response. */
    boolean outputBroken;

    private UpstreamConnection(EventLoop loop, SocketChannel channel, String poolKey, InetSocketAddress address) {
        super(loop, channel);
        this.id = loop.context.nextConnectionId();
        this.poolKey = poolKey;
        this.address = address;
        this.parser = new Http1Parser(Http1Parser.Mode.RESPONSE, HttpLimits.DEFAULT_MAX_HEADER_BYTES, loop.headPool);
        this.dialDeadline = TimerQueue.Deadline.of(loop.timers, loop.context.settings.dialTimeout(), this::dialExpired);
    }

    /** Opens a non-blocking connection to {@code address} for {@code owner}; completion is reported to the owner. */
    static UpstreamConnection connect(EventLoop loop, String poolKey, InetSocketAddress address,
                                      ClientConnection owner) throws IOException {
        SocketChannel memory = MemoryChannel.dial(address);
        SocketChannel ch = memory != null ? memory : SocketChannel.open();
        UpstreamConnection up = new UpstreamConnection(loop, ch, poolKey, address);
        up.owner = owner;
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            up.connected = ch.connect(address);
            up.key = loop.register(ch, up.connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, up);
        } catch (IOException | RuntimeException e) {
            up.closeChannel();
            throw e;
        }
        return up;
    }

    @Override
    void cancelDeadlines() {
        cancelDeadline(); // the idle deadline: the connection is its timer node
        dialDeadline.cancel();
    }

    private void dialExpired() {
        if (!connected && !closed && owner != null) {
            owner.dialTimedOut(this);
        }
    }

    @Override
    public void onReady(SelectionKey key) throws IOException {
        if (owner == null) {
            // Idle in the pool: the server closed it (or sent bytes nobody asked for). Either way it is unusable.
            LOG.debug("upstream#{} {}: closed while idle", id, address);
            loop.upstreams.remove(this);
            closeChannel();
            return;
        }
        ClientConnection client = owner;
        if (key.isConnectable()) {
            try {
                connected = channel.finishConnect();
            } catch (IOException e) {
                client.upstreamConnectFailed(this, e);
                return;
            }
            if (!connected) {
                return;
            }
            dialDeadline.clear();
        }
        if (key.isValid() && key.isReadable()) {
            try {
                readIn();
            } catch (IOException e) {
                LOG.debug("upstream#{} {}: read failed: {}", id, address, e.toString());
                inputClosed = true;
            }
        }
        client.process();
    }

    /** Writes pending request bytes; a failure marks the output broken (the response may still arrive). */
    boolean flushToServer() {
        if (outputBroken || !connected) {
            return false;
        }
        try {
            return flushSome();
        } catch (IOException e) {
            LOG.debug("upstream#{} {}: write failed: {}", id, address, e.toString());
            outputBroken = true;
            staged = null;
            if (out != null) {
                out.clear();
            }
            releaseOutIfEmpty();
            return true;
        }
    }

    void updateInterest() {
        if (closed) {
            return;
        }
        if (!connected) {
            setInterest(SelectionKey.OP_CONNECT);
            return;
        }
        int ops = wantedInterest();
        if (outputBroken) {
            ops &= ~SelectionKey.OP_WRITE;
        }
        setInterest(ops);
    }

    /** Idle in the pool for too long. */
    @Override
    void expired() {
        if (owner == null && !closed) {
            LOG.debug("upstream#{} {}: idle timeout, closing", id, address);
            loop.upstreams.remove(this);
            closeChannel();
        }
    }

    @Override
    public void onFailure(Throwable cause) {
        ClientConnection client = owner;
        if (client != null) {
            client.onFailure(cause);
        } else {
            loop.upstreams.remove(this);
        }
        closeChannel();
    }

    @Override
    public String toString() {
        return "upstream#" + id + " " + address;
    }
}
