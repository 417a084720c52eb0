package dev.switchboard.kernel.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One side of a proxied exchange: a non-blocking socket with its input and output buffers, owned by one loop.
 *
 * <p>Buffers: {@code in} is kept in read mode (unread bytes between position and limit), {@code out} in fill mode
 * (bytes to write between 0 and position). Both come from the loop's {@link BufferPool} when needed and go back to it
 * as soon as they are empty, so an idle connection holds none. {@code staged} is a heap buffer of bytes that must be
 * written before anything else put in {@code out} later (a head, a terminating chunk, an error response); it is
 * moved into {@code out} as room allows.
 */
abstract class Endpoint extends TimerQueue.Node implements IoHandler {
    /** The least room in {@code out} worth filling with body bytes (a chunk header takes up to 18). */
    static final int MIN_ROOM = 64;

    final EventLoop loop;
    final SocketChannel channel;
    SelectionKey key;
    ByteBuffer in;
    ByteBuffer out;
    ByteBuffer staged;
    boolean inputClosed;
    boolean closed;

    Endpoint(EventLoop loop, SocketChannel channel) {
        this.loop = loop;
        this.channel = channel;
    }

    /** Reads what the socket has into {@code in}; returns the count, or -1 at end of input. */
    final int readIn() throws IOException {
        if (in == null) {
            in = loop.buffers.acquire();
            in.flip();
        }
        in.compact();
        int n;
        try {
            n = channel.read(in);
        } finally {
            in.flip();
        }
        if (n < 0) {
            inputClosed = true;
        }
        releaseInIfEmpty();
        return n;
    }

    final boolean hasInput() {
        return in != null && in.hasRemaining();
    }

    final boolean inputHasRoom() {
        return in == null || in.remaining() < in.capacity();
    }

    final void releaseInIfEmpty() {
        if (in != null && !in.hasRemaining()) {
            loop.buffers.release(in);
            in = null;
        }
    }

    /** Room for body bytes in {@code out}, after staged bytes were moved in. */
    final int outRoom() {
        if (!moveStaged()) {
            return 0;
        }
        if (out == null) {
            out = loop.buffers.acquire();
        }
        return out.remaining();
    }

    /** Queues {@code bytes} (heap, read mode) to be written after what is already queued. */
    final void stage(ByteBuffer bytes) {
        if (staged == null || !staged.hasRemaining()) {
            staged = bytes;
        } else {
            ByteBuffer both = ByteBuffer.allocate(staged.remaining() + bytes.remaining());
            both.put(staged).put(bytes).flip();
            staged = both;
        }
        moveStaged();
    }

    /** Queues the head just encoded in {@code head}: straight into {@code out} when it fits, else copied aside. */
    final void stage(HeadBuffer head) {
        int done = 0;
        if (staged == null) {
            if (out == null) {
                out = loop.buffers.acquire();
            }
            done = head.copyTo(out, 0);
        }
        if (done < head.length()) {
            stage(head.copy(done));
        }
    }

    /** Moves staged bytes into {@code out} as room allows; true when none are left staged. */
    final boolean moveStaged() {
        if (staged == null) {
            return true;
        }
        if (out == null) {
            out = loop.buffers.acquire();
        }
        int n = Math.min(out.remaining(), staged.remaining());
        if (n > 0) {
            int lim = staged.limit();
            staged.limit(staged.position() + n);
            out.put(staged);
            staged.limit(lim);
        }
        if (!staged.hasRemaining()) {
            staged = null;
            return true;
        }
        return false;
    }

    /** True when nothing is left to write. */
    final boolean flushed() {
        return staged == null && (out == null || out.position() == 0);
    }

    /** Writes as much as the socket takes; true if any byte was written. */
    final boolean flushSome() throws IOException {
        boolean wrote = false;
        while (true) {
            moveStaged();
            if (out == null || out.position() == 0) {
                releaseOutIfEmpty();
                return wrote;
            }
            out.flip();
            int n;
            try {
                n = channel.write(out);
            } finally {
                out.compact();
            }
            if (n > 0) {
                wrote = true;
            }
            if (out.position() > 0) {
                return wrote;
            }
        }
    }

    final void releaseOutIfEmpty() {
        if (out != null && out.position() == 0 && staged == null) {
            loop.buffers.release(out);
            out = null;
        }
    }

    final void releaseBuffers() {
        if (in != null) {
            loop.buffers.release(in);
            in = null;
        }
        if (out != null) {
            loop.buffers.release(out);
            out = null;
        }
        staged = null;
    }

    final void setInterest(int ops) {
        if (key != null && key.isValid() && key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    /** The interest this endpoint needs for reading (room to read, input open) and writing (bytes pending). */
    int wantedInterest() {
        int ops = 0;
        if (!inputClosed && inputHasRoom()) {
            ops |= SelectionKey.OP_READ;
        }
        if (!flushed()) {
            ops |= SelectionKey.OP_WRITE;
        }
        return ops;
    }

    /** Closes the socket and returns the buffers. Idempotent. */
    void closeChannel() {
        if (closed) {
            return;
        }
        closed = true;
        if (key != null) {
            key.cancel();
        }
        Acceptor.closeQuietly(channel);
        releaseBuffers();
        cancelDeadlines();
    }

    /** Takes this endpoint's deadlines out of the loop's timer queue, so nothing keeps a closed endpoint reachable. */
    abstract void cancelDeadlines();

    /** An endpoint is the timer node of its own main deadline (see {@link TimerQueue.Node}). */
    @Override
    final TimerQueue timers() {
        return loop.timers;
    }
}
