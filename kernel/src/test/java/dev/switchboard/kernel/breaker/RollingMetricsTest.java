package dev.switchboard.kernel.breaker;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RollingMetricsTest {

    private static final long S = 1_000_000_000L;
    private static final long MS = 1_000_000L;

    private final AtomicLong clock = new AtomicLong();
    private final RollingMetrics metrics = new RollingMetrics(2, clock::get);

    private long countAt(long seconds) {
        clock.set(seconds * S);
        return metrics.requestCount();
    }

    @Test
    void tenHitsOneASecondLeaveTheWindowOnTimeUnlikeOxysCleanupBug() {
        for (int t = 0; t <= 9; t++) {
            metrics.record(0, 200, MS, t * S);
        }
        assertEquals(10, countAt(9));
        assertEquals(4, countAt(15), "hits at 6, 7, 8, 9 s are the only ones in (5 s, 15 s]");
        assertEquals(0, countAt(45), "nothing recorded for 35 s: nothing left (oxy still counted 4)");
    }

    @Test
    void staleBucketIsClearedWhenItsSlotIsReusedByANewWrite() {
        metrics.record(0, 502, MS, 3 * S);
        metrics.record(0, 200, MS, 13 * S + 1); // same bucket (13 mod 10 = 3), new slot
        clock.set(13 * S + 2);
        assertEquals(1, metrics.requestCount());
        assertEquals(0.0, metrics.networkErrorRatio());
    }

    @Test
    void countLeavesTheWindowExactlyTenSecondsAfterItsBucketBegan() {
        metrics.record(0, 200, MS, 2 * S + 500 * MS);
        clock.set(11 * S + 999 * MS);
        assertEquals(1, metrics.requestCount());
        clock.set(12 * S);
        assertEquals(0, metrics.requestCount());
    }

    @Test
    void negativeNanoTimeIsHandledLikeAnyOtherInstant() {
        long base = -7 * S - 300 * MS; // System.nanoTime may be negative
        metrics.record(1, 200, MS, base);
        metrics.record(1, 504, MS, base + 3 * S);
        clock.set(base + 3 * S);
        assertEquals(2, metrics.requestCount());
        assertEquals(0.5, metrics.networkErrorRatio());
        clock.set(base + 11 * S);
        assertEquals(1, metrics.requestCount());
    }

    @Test
    void noRequestsGiveZeroForEveryRatioAndLatency() {
        assertEquals(0.0, metrics.networkErrorRatio());
        assertEquals(0.0, metrics.responseCodeRatio(500, 600, 0, 600));
        assertEquals(0, metrics.latencyAtQuantileMs(99.0));
        assertEquals(0, metrics.requestCount());
    }

    @Test
    void networkErrorsAre502And504Only() {
        int[] statuses = {200, 500, 502, 503, 504, 404, 502, 200};
        for (int status : statuses) {
            metrics.record(0, status, MS, 0);
        }
        assertEquals(3.0 / 8, metrics.networkErrorRatio());
    }

    @Test
    void responseCodeRatioCountsHalfOpenRangesAndIsZeroOnEmptyDenominator() {
        for (int i = 0; i < 6; i++) {
            metrics.record(0, 200, MS, 0);
        }
        metrics.record(0, 500, MS, 0);
        metrics.record(1, 503, MS, 0);
        metrics.record(1, 599, MS, 0);
        metrics.record(1, 600, MS, 0); // counted as a request, not as a code
        assertEquals(10, metrics.requestCount());
        assertEquals(3.0 / 9, metrics.responseCodeRatio(500, 600, 0, 600), 1e-12);
        assertEquals(2.0 / 9, metrics.responseCodeRatio(500, 599, 0, 700), 1e-12, "upper bound excluded");
        assertEquals(0.0, metrics.responseCodeRatio(500, 600, 300, 400), "no 3xx: denominator 0");
        assertEquals(1.0, metrics.responseCodeRatio(200, 201, 200, 300));
    }

    @Test
    void latencyIsReportedInWholeMillisecondsTruncated() {
        metrics.record(0, 200, 49_900_000L, 0); // 49.9 ms
        clock.set(0);
        assertEquals(49, metrics.latencyAtQuantileMs(50.0));
    }

    @Test
    void resetForgetsEverythingAtOnceAndNewRecordsCountAfterIt() {
        metrics.record(0, 502, MS, 0);
        metrics.record(1, 502, MS, 0);
        metrics.reset();
        clock.set(S / 2);
        assertEquals(0, metrics.requestCount());
        assertEquals(0.0, metrics.networkErrorRatio());
        metrics.record(0, 200, MS, S / 2);
        assertEquals(1, metrics.requestCount());
        assertEquals(0.0, metrics.networkErrorRatio(), "the 502 of stripe 0 was cleared by its owner");
        metrics.record(1, 200, MS, S / 2);
        assertEquals(2, metrics.requestCount());
    }

    @Test
    void configurableWindowOfFiveHalfSecondBuckets() {
        RollingMetrics m = new RollingMetrics(1, 5, Duration.ofMillis(500), clock::get);
        assertEquals(Duration.ofMillis(2500), m.window());
        m.record(0, 200, MS, 0);
        m.record(0, 200, MS, 2 * S);
        assertEquals(2, m.snapshot(2 * S + 499 * MS).requestCount());
        assertEquals(1, m.snapshot(2 * S + 500 * MS).requestCount());
    }

    @Test
    void twoLoopsWritingTheirOwnStripesConcurrentlyMergeToExactCounts() throws Exception {
        int perThread = 200_000;
        CountDownLatch start = new CountDownLatch(1);
        Thread[] threads = new Thread[2];
        for (int t = 0; t < 2; t++) {
            int stripe = t;
            threads[t] = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    metrics.record(stripe, i % 10 == 0 ? 502 : 200, (i % 1000) * 1000L, (i % 5) * 100 * MS);
                }
            });
            threads[t].start();
        }
        start.countDown();
        // a concurrent reader must never see more than was written
        long seenMax = 0;
        while (threads[0].isAlive() || threads[1].isAlive()) {
            long c = metrics.snapshot(S - 1).requestCount();
            seenMax = Math.max(seenMax, c);
        }
        for (Thread t : threads) {
            t.join();
        }
        RollingMetrics.Snapshot s = metrics.snapshot(S - 1);
        assertEquals(2L * perThread, s.requestCount());
        assertEquals(2L * perThread / 10, s.networkErrors());
        assertEquals(2L * perThread / 10, s.statusCount(502));
        assertEquals(0.1, s.networkErrorRatio(), 1e-12);
        assertEquals(true, seenMax <= 2L * perThread);
    }
}
