package dev.switchboard.kernel.net;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The direct buffers of one event loop: fixed-size, bounded in how many are kept free, used only by the loop's
 * thread (so no lock). A connection holds a buffer only while it has bytes in it: an idle keep-alive connection holds
 * none, which is what keeps memory per idle connection small.
 *
 * <p>Ownership: {@link #acquire()} hands a cleared buffer to the caller, who is its only owner until it passes it
 * back with {@link #release(ByteBuffer)} and forgets it. {@link #outstanding()} counts buffers handed out and not
 * returned; tests assert it is zero once every connection is closed.
 */
final class BufferPool {
    /** Size of each buffer: a read or write of up to this many bytes per system call. */
    static final int BUFFER_SIZE = 16 * 1024;
    /** At most this many free buffers are kept per loop; more are left to the garbage collector. */
    static final int MAX_FREE = 256;

    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private volatile int outstanding;

    ByteBuffer acquire() {
        ByteBuffer b = free.pollFirst();
        if (b == null) {
            b = ByteBuffer.allocateDirect(BUFFER_SIZE);
        }
        b.clear();
        outstanding++;
        return b;
    }

    void release(ByteBuffer b) {
        outstanding--;
        if (free.size() < MAX_FREE) {
            free.addFirst(b);
        }
    }

    /** Buffers handed out and not yet returned (read from any thread, for tests and metrics). */
    int outstanding() {
        return outstanding;
    }
}
