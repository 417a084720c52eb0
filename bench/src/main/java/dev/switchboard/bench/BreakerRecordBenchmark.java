package dev.switchboard.bench;

import dev.switchboard.kernel.breaker.CircuitBreaker;
import dev.switchboard.kernel.breaker.RollingMetrics;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The circuit breaker's cost per request (issue 6, "JMH: recording cost per request, no allocation"):
 * <ul>
 *   <li>{@code metricsRecord}: {@link RollingMetrics#record} alone (counts, status, latency histogram, in the
 *       caller's stripe; buckets roll over with the real clock);</li>
 *   <li>{@code breakerOutcome}: {@link CircuitBreaker#onOutcome}, which records and, at most every check period
 *       (100 ms), evaluates the condition in the calling thread (oxy's behaviour; the default);</li>
 *   <li>{@code breakerAdmitAndOutcome}: what the proxy does per request of a backend with a breaker, {@code admit}
 *       then {@code onOutcome}.</li>
 * </ul>
 * The breaker stays in Standby (condition {@code NetworkErrorRatio() > 0.5}, outcomes cycle through 200, 200, 404,
 * 500 and latencies 0.1 to 50 ms), which is the state nearly every request meets. {@code -prof gc}'s
 * {@code gc.alloc.rate.norm} is the garbage per call; the target is none.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BreakerRecordBenchmark {
    private static final int[] STATUS = {200, 200, 404, 500, 200, 302, 200, 503};
    private static final long[] LATENCY = {100_000, 1_500_000, 7_000_000, 50_000_000, 350_000, 2_000_000, 900_000,
            12_000_000};

    private RollingMetrics metrics;
    private CircuitBreaker breaker;
    private int next;

    @Setup(Level.Trial)
    public void build() {
        metrics = new RollingMetrics(2, System::nanoTime);
        breaker = CircuitBreaker.builder("b", m -> m.networkErrorRatio() > 0.5)
                .expression("NetworkErrorRatio() > 0.5").stripes(2).build();
    }

    private int step() {
        int i = next;
        next = (i + 1) & 7;
        return i;
    }

    @Benchmark
    public void metricsRecord() {
        int i = step();
        metrics.record(0, STATUS[i], LATENCY[i], System.nanoTime());
    }

    @Benchmark
    public void breakerOutcome() {
        int i = step();
        breaker.onOutcome(0, STATUS[i], LATENCY[i], System.nanoTime());
    }

    @Benchmark
    public CircuitBreaker.Decision breakerAdmitAndOutcome() {
        int i = step();
        long now = System.nanoTime();
        CircuitBreaker.Decision d = breaker.admit(now);
        breaker.onOutcome(0, STATUS[i], LATENCY[i], now);
        return d;
    }
}
