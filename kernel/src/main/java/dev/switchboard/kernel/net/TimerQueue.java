package dev.switchboard.kernel.net;

import java.util.Arrays;

/**
 * The timers of one event loop, in deadline order; used only by the loop's thread. No thread per timeout: the loop
 * selects until the earliest deadline and runs what is due.
 *
 * <p>A binary min-heap whose nodes are the timers themselves ({@link Deadline}s, and one-off tasks): each knows its
 * place in the heap, so a deadline is in the queue at most once and {@link Deadline#cancel() cancelling} one (as a
 * closing connection does) removes it at once instead of leaving it, and the connection it points to, reachable until
 * its time would have come. Moving a deadline later costs a field write, not a heap operation, so a busy keep-alive
 * connection does not churn the heap.
 */
final class TimerQueue {

    /**
     * A timer: a node of the heap (due at {@link #at}, placed at {@link #index}, -1 when not queued) that expires at
     * its deadline. {@link #setDeadline} and {@link #clearDeadline} are cheap: the node is queued at most once, for the
     * earliest time it was set to, and moved later only when that time comes. A connection is itself the node of its
     * main deadline (no object per connection for it).
     */
    abstract static class Node {
        long at;
        int index = -1;
        private long deadline;

        /** The queue this node is set in. */
        abstract TimerQueue timers();

        /** The deadline passed (run by the loop; it is cleared first). */
        abstract void expired();

        /** Expire at {@code now + nanos} ({@code nanos <= 0}: never). */
        final void setDeadline(long now, long nanos) {
            if (nanos <= 0) {
                clearDeadline();
                return;
            }
            deadline = now + nanos;
            if (deadline == 0) {
                deadline = 1;
            }
            if (index < 0) {
                timers().add(this, deadline);
            } else if (deadline - at < 0) {
                timers().moveEarlier(this, deadline);
            }
        }

        /** Not due any more; stays queued (a later set usually follows) but will not expire. */
        final void clearDeadline() {
            if (deadline != 0) { // never writes Deadline.NONE, which loops share
                deadline = 0;
            }
        }

        /** Cleared and out of the queue: for a connection that closes, so nothing keeps it reachable. */
        final void cancelDeadline() {
            clearDeadline();
            if (index >= 0) {
                timers().remove(this);
            }
        }

        final boolean deadlineSet() {
            return deadline != 0;
        }

        void fire(long now) {
            if (deadline == 0) {
                return;
            }
            if (deadline - now <= 0) {
                deadline = 0;
                expired();
            } else {
                timers().add(this, deadline); // moved later since it was queued
            }
        }
    }

    private Node[] heap = new Node[64];
    private int size;

    /** Runs {@code task} once at {@code atNanos} (or soon after). */
    void schedule(long atNanos, Runnable task) {
        TimerQueue queue = this;
        Node n = new Node() {
            @Override
            TimerQueue timers() {
                return queue;
            }

            @Override
            void expired() {
                task.run();
            }

            @Override
            void fire(long now) {
                task.run(); // once, at the time given (no deadline of its own)
            }
        };
        add(n, atNanos);
    }

    /** Milliseconds until the next deadline: -1 for none, 0 if one is due. */
    long millisUntilNext(long now) {
        if (size == 0) {
            return -1;
        }
        long d = heap[0].at - now;
        return d <= 0 ? 0 : Math.max(1, (d + 999_999) / 1_000_000);
    }

    /** Runs every task due at {@code now}. A task that throws is the caller's to log; the rest still run. */
    void runDue(long now, java.util.function.Consumer<Throwable> onError) {
        while (size > 0 && heap[0].at - now <= 0) {
            Node n = heap[0];
            remove(n);
            try {
                n.fire(now);
            } catch (Throwable t) {
                onError.accept(t);
            }
        }
    }

    int size() {
        return size;
    }

    private void add(Node n, long at) {
        n.at = at;
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        n.index = size;
        heap[size++] = n;
        siftUp(n.index);
    }

    private void remove(Node n) {
        int i = n.index;
        if (i < 0) {
            return;
        }
        n.index = -1;
        Node last = heap[--size];
        heap[size] = null;
        if (i < size) {
            heap[i] = last;
            last.index = i;
            siftDown(i);
            siftUp(last.index);
        }
        if (heap.length > 64 && size < heap.length / 4) {
            heap = Arrays.copyOf(heap, heap.length / 2); // a burst of connections does not pin a large array
        }
    }

    /** Moves a queued node earlier. */
    private void moveEarlier(Node n, long at) {
        n.at = at;
        siftUp(n.index);
    }

    private static boolean before(Node a, Node b) {
        return a.at - b.at < 0;
    }

    private void siftUp(int i) {
        Node n = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Node p = heap[parent];
            if (!before(n, p)) {
                break;
            }
            heap[i] = p;
            p.index = i;
            i = parent;
        }
        heap[i] = n;
        n.index = i;
    }

    private void siftDown(int i) {
        Node n = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            Node c = heap[child];
            int right = child + 1;
            if (right < size && before(heap[right], c)) {
                child = right;
                c = heap[child];
            }
            if (!before(c, n)) {
                break;
            }
            heap[i] = c;
            c.index = i;
            i = child;
        }
        heap[i] = n;
        n.index = i;
    }

    /** One resettable deadline with its own expiry task (a connection's other timeouts, an upstream's dial). */
    static final class Deadline extends Node {
        private final TimerQueue timers;
        private final Runnable onExpiry;

        /** The deadline of a timeout that is not set: shared, never armed, never written (see {@link #set}). */
        static final Deadline NONE = new Deadline(null, () -> { });

        Deadline(TimerQueue timers, Runnable onExpiry) {
            this.timers = timers;
            this.onExpiry = onExpiry;
        }

        /**
         * A deadline for a timeout of {@code timeout}, always set with that same timeout: {@link #NONE} when it is
         * zero (not set), so a connection keeps no object for a timeout nobody configured.
         */
        static Deadline of(TimerQueue timers, java.time.Duration timeout, Runnable onExpiry) {
            return timeout.isZero() || timeout.isNegative() ? NONE : new Deadline(timers, onExpiry);
        }

        @Override
        TimerQueue timers() {
            return timers;
        }

        @Override
        void expired() {
            onExpiry.run();
        }

        /** Expire at {@code now + nanos} ({@code nanos <= 0}: never). */
        void set(long now, long nanos) {
            if (nanos > 0 && this == NONE) {
                throw new IllegalStateException("the shared unset deadline cannot be set");
            }
            setDeadline(now, nanos);
        }

        void clear() {
            clearDeadline();
        }

        void cancel() {
            cancelDeadline();
        }

        boolean isSet() {
            return deadlineSet();
        }
    }
}
