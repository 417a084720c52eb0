package dev.switchboard.distribution;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Waiting with a deadline, never with a fixed sleep (Traefik v1's {@code integration/try}): an attempt is repeated
 * every few milliseconds until it yields a value, the deadline passes, or the process under test dies.
 */
final class Poll {
    private static final long INTERVAL_MS = 25;

    private Poll() {
    }

    /**
     * Repeats {@code attempt} until it returns non-null and returns that value. An exception thrown by an attempt
     * counts as "not yet" and is reported if the deadline passes.
     *
     * @param what      what is awaited, for the failure message
     * @param process   checked between attempts: if it has exited, waiting stops at once; may be null
     */
    static <T> T until(Duration timeout, String what, SwitchboardProcess process, Callable<T> attempt) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Throwable last = null;
        while (true) {
            try {
                T value = attempt.call();
                if (value != null) {
                    return value;
                }
            } catch (Exception e) {
                last = e;
            }
            if (process != null && !process.isAlive()) {
                throw new AssertionError("waiting for " + what + ": switchboard exited with " + process.exitCode()
                        + describe(last) + process.describeOutput(), last);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("gave up after " + timeout.toMillis() + " ms waiting for " + what
                        + describe(last) + (process == null ? "" : process.describeOutput()), last);
            }
            try {
                Thread.sleep(INTERVAL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    /** Repeats until {@code condition} holds. */
    static void untilTrue(Duration timeout, String what, SwitchboardProcess process, Supplier<Boolean> condition) {
        until(timeout, what, process, () -> condition.get() ? Boolean.TRUE : null);
    }

    private static String describe(Throwable last) {
        return last == null ? "" : "; last attempt failed with " + last;
    }
}
