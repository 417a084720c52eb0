package dev.switchboard.kernel.http;

/**
 * The head storage of the parsers of one event loop: {@link HttpHead}s (each with its byte and offset arrays) that
 * a parser borrows when a message begins and gives back when the consumer is done with the head, and the loop's one
 * scan buffer. A connection between messages therefore holds no head storage at all, and a steady stream of
 * requests reuses the same few heads instead of allocating a copy of each.
 *
 * <p>Heads keep the strings made from their previous message ({@link HttpHead#value(int)}, the target), so a
 * keep-alive client sending the same Host and target each time gets the same strings back without a copy.
 *
 * <p>Not thread-safe: one pool per event loop, used only on its thread.
 */
public final class HeadPool {
    /** Heads kept for reuse at most; more are left to the garbage collector. */
    static final int MAX_POOLED = 256;

    private final HttpHead[] free = new HttpHead[MAX_POOLED];
    private int size;
    final byte[] scan = new byte[Http1Parser.SCAN_BYTES];

    HttpHead take() {
        if (size == 0) {
            return new HttpHead();
        }
        HttpHead h = free[--size];
        free[size] = null;
        return h;
    }

    void give(HttpHead h) {
        h.recycle();
        if (size < MAX_POOLED) {
            free[size++] = h;
        }
    }

    /** Heads waiting for reuse (for tests). */
    public int pooled() {
        return size;
    }
}
