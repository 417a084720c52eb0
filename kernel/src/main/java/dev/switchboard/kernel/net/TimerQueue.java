package dev.switchboard.kernel.net;

import java.util.PriorityQueue;

/**
 * The timers of one event loop, in deadline order; used only by the loop's thread. No thread per timeout: the loop
 * selects until the earliest deadline and runs what is due.
 *
 * <p>Connections keep at most one or two entries here through {@link Deadline}: moving a deadline later costs a
 * field write, not a new entry, so a busy keep-alive connection does not fill the queue.
 */
final class TimerQueue {
    /** A task, or a {@link Deadline} to check (which needs no task object per arming). */
    private record Entry(long at, long seq, Runnable task, Deadline deadline) {
    }

    private final PriorityQueue<Entry> queue = new PriorityQueue<>((a, b) -> a.at != b.at
            ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private long seq;

    void schedule(long atNanos, Runnable task) {
        queue.add(new Entry(atNanos, seq++, task, null));
    }

    /** Milliseconds until the next deadline: -1 for none, 0 if one is due. */
    long millisUntilNext(long now) {
        Entry e = queue.peek();
        if (e == null) {
            return -1;
        }
        long d = e.at - now;
        return d <= 0 ? 0 : Math.max(1, (d + 999_999) / 1_000_000);
    }

    /** Runs every task due at {@code now}. A task that throws is the caller's to log; the rest still run. */
    void runDue(long now, java.util.function.Consumer<Throwable> onError) {
        Entry e;
        while ((e = queue.peek()) != null && e.at - now <= 0) {
            queue.poll();
            try {
                if (e.deadline != null) {
                    e.deadline.fired(e.at);
                } else {
                    e.task.run();
                }
            } catch (Throwable t) {
                onError.accept(t);
            }
        }
    }

    int size() {
        return queue.size();
    }

    /**
     * One resettable deadline (for a connection: idle, header read, dial, response header...). {@link #set} and
     * {@link #clear} are cheap; the queue holds an entry only for the earliest armed time.
     */
    static final class Deadline {
        private final TimerQueue timers;
        private final Runnable onExpiry;
        private long deadline;
        private long armedAt;
        private boolean armed;

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

        /** Expire at {@code now + nanos} ({@code nanos <= 0}: never). */
        void set(long now, long nanos) {
            if (nanos <= 0) {
                clear();
                return;
            }
            if (this == NONE) {
                throw new IllegalStateException("the shared unset deadline cannot be set");
            }
            deadline = now + nanos;
            if (deadline == 0) {
                deadline = 1;
            }
            if (!armed || deadline - armedAt < 0) {
                arm(deadline);
            }
        }

        void clear() {
            if (deadline != 0) { // never writes NONE, which loops share
                deadline = 0;
            }
        }

        boolean isSet() {
            return deadline != 0;
        }

        private void arm(long at) {
            armed = true;
            armedAt = at;
            timers.queue.add(new Entry(at, timers.seq++, null, this));
        }

        private void fired(long at) {
            if (armed && at == armedAt) {
                armed = false;
            }
            if (deadline == 0) {
                return;
            }
            long now = System.nanoTime();
            if (deadline - now <= 0) {
                deadline = 0;
                onExpiry.run();
            } else if (!armed || deadline - armedAt < 0) {
                arm(deadline);
            }
        }
    }
}
