package dev.switchboard.kernel.net;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Idle keep-alive connections of one loop, per server ({@code Upstream.poolKey()}, stable across reloads). Most
 * recently used first, so the fewest connections stay warm. Loop thread only.
 */
final class UpstreamPool {
    /** At most this many idle connections per server and loop; more are closed when released. */
    static final int MAX_IDLE_PER_SERVER = 64;
    /** An idle connection is closed after this long (Go's {@code IdleConnTimeout}, which Traefik v1 uses). */
    static final long IDLE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(90);

    private final Map<String, ArrayDeque<UpstreamConnection>> idle = new HashMap<>();
    private int size;
    private final java.nio.ByteBuffer probe = java.nio.ByteBuffer.allocateDirect(1);

    UpstreamPool() {
    }

    /** An idle connection to {@code poolKey}, now owned by the caller, or null. */
    UpstreamConnection take(String poolKey) {
        ArrayDeque<UpstreamConnection> q = idle.get(poolKey);
        if (q == null) {
            return null;
        }
        UpstreamConnection c;
        while ((c = q.pollFirst()) != null) {
            size--;
            c.clearDeadline();
            if (!c.closed && !c.inputClosed && quiet(c)) {
                c.reused = true;
                return c;
            }
            c.closeChannel();
        }
        return null;
    }

    /**
     * True if nothing arrived on an idle connection since it was pooled: bytes a server sent unasked (or its close)
     * that the selector has not reported yet would otherwise be read as the next response.
     */
    private boolean quiet(UpstreamConnection c) {
        probe.clear();
        try {
            return c.channel.read(probe) == 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Takes back a connection at a message boundary with nothing buffered; keeps it or closes it. */
    void release(UpstreamConnection c) {
        c.owner = null;
        c.releaseBuffers();
        ArrayDeque<UpstreamConnection> q = idle.computeIfAbsent(c.poolKey, k -> new ArrayDeque<>());
        if (q.size() >= MAX_IDLE_PER_SERVER || c.closed) {
            c.closeChannel();
            return;
        }
        q.addFirst(c);
        size++;
        c.setInterest(java.nio.channels.SelectionKey.OP_READ);
        c.setDeadline(System.nanoTime(), IDLE_TIMEOUT_NANOS);
    }

    void remove(UpstreamConnection c) {
        ArrayDeque<UpstreamConnection> q = idle.get(c.poolKey);
        if (q != null && q.remove(c)) {
            size--;
        }
    }

    int size() {
        return size;
    }

    void closeAll() {
        for (ArrayDeque<UpstreamConnection> q : idle.values()) {
            for (UpstreamConnection c : q) {
                c.closeChannel();
            }
        }
        idle.clear();
        size = 0;
    }
}
