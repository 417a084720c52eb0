package dev.switchboard.kernel.breaker;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyQuantilePropertyTest {

    @Provide
    Arbitrary<List<Long>> samples() {
        Arbitrary<Long> any = Arbitraries.oneOf(
                Arbitraries.longs().between(0, 1_000),
                Arbitraries.longs().between(1_000, 1_000_000),
                Arbitraries.longs().between(1_000_000, LatencyScale.MAX_MICROS),
                Arbitraries.integers().between(7, 31).map(p -> 1L << p),
                Arbitraries.integers().between(7, 31).map(p -> (1L << p) - 1));
        return any.list().ofMinSize(1).ofMaxSize(400);
    }

    @Property(tries = 300)
    void quantileIsWithinOnePercentOfTheSampleOfTheSameRankInASortedList(
            @ForAll("samples") List<Long> samples, @ForAll @DoubleRange(min = 0, max = 100) double quantile,
            @ForAll @IntRange(min = 1, max = 3) int stripes) {
        RollingMetrics metrics = new RollingMetrics(stripes, () -> 0L);
        for (int i = 0; i < samples.size(); i++) {
            metrics.record(i % stripes, 200, samples.get(i) * 1000, 0);
        }
        long[] sorted = samples.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        long rank = Math.max(1, (long) (quantile / 100 * sorted.length + 0.5));
        long expected = sorted[(int) rank - 1];
        long actual = metrics.snapshot(0).latencyAtQuantileMicros(quantile);
        assertTrue(Math.abs(actual - expected) <= expected / 100.0,
                () -> "q=" + quantile + " expected " + expected + " got " + actual);
    }

    @Property(tries = 2000)
    void everyValueIsWithinOnePercentOfItsBucketsReportedValue(
            @ForAll("anyMicros") long micros) {
        long reported = LatencyScale.valueOf(LatencyScale.indexOf(micros));
        assertTrue(Math.abs(reported - micros) <= micros / 100.0, () -> micros + " reported as " + reported);
    }

    @Provide
    Arbitrary<Long> anyMicros() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, LatencyScale.MAX_MICROS),
                Arbitraries.longs().between(0, 100_000));
    }

    @Property(tries = 200)
    void bucketIndexesAreMonotoneAndInRange(@ForAll("anyMicros") long a, @ForAll("anyMicros") long b) {
        int ia = LatencyScale.indexOf(Math.min(a, b));
        int ib = LatencyScale.indexOf(Math.max(a, b));
        assertTrue(ia <= ib && ia >= 0 && ib < LatencyScale.BUCKETS);
    }

    @Example
    void latenciesBeyondOneHourCountAsOneHourAndNegativeAsZero() {
        assertTrue(LatencyScale.indexOf(Long.MAX_VALUE) == LatencyScale.indexOf(LatencyScale.MAX_MICROS));
        assertTrue(LatencyScale.indexOf(-5) == 0);
    }
}
