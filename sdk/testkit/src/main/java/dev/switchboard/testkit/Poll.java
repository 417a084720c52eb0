package dev.switchboard.testkit;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition by polling it with a deadline: the test kit's only way of waiting. */
public final class Poll {
    private static final long INTERVAL_MILLIS = 5;

    private Poll() {
    }

    /**
     * Returns once {@code condition} holds; throws {@link TimeoutException} with {@code state}'s description when
     * {@code timeout} passes first.
     */
    public static void until(Duration timeout, Supplier<String> state, BooleanSupplier condition)
            throws TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException("after " + timeout + ": " + state.get());
            }
            try {
                // Parking between polls, not synchronising: the condition is re-checked until the deadline.
                Thread.sleep(INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TimeoutException("interrupted while waiting: " + state.get());
            }
        }
    }
}
