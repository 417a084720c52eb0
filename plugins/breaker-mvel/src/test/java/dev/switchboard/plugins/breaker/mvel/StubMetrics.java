package dev.switchboard.plugins.breaker.mvel;

import dev.switchboard.spi.breaker.BackendMetrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Fixed metric values; latency is a linear function of the quantile (q × {@code msPerPercent}) so that the quantile
 * argument's value is visible in the result; code ratios are looked up by range. Records the calls it gets.
 */
final class StubMetrics implements BackendMetrics {
    double networkErrorRatio;
    double msPerPercent = 1;
    double fiveXxRatio;
    double otherCodeRatio;
    final List<String> calls = new ArrayList<>();

    StubMetrics networkErrors(double ratio) {
        this.networkErrorRatio = ratio;
        return this;
    }

    StubMetrics latencyPerPercent(double ms) {
        this.msPerPercent = ms;
        return this;
    }

    StubMetrics fiveXx(double ratio) {
        this.fiveXxRatio = ratio;
        return this;
    }

    @Override
    public double networkErrorRatio() {
        calls.add("NetworkErrorRatio()");
        return networkErrorRatio;
    }

    @Override
    public long latencyAtQuantileMs(double quantile) {
        calls.add("LatencyAtQuantileMS(" + quantile + ")");
        return (long) (quantile * msPerPercent);
    }

    @Override
    public double responseCodeRatio(int startA, int endA, int startB, int endB) {
        calls.add("ResponseCodeRatio(" + startA + "," + endA + "," + startB + "," + endB + ")");
        return startA == 500 && endA == 600 && startB == 0 && endB == 600 ? fiveXxRatio : otherCodeRatio;
    }

    @Override
    public long requestCount() {
        return 100;
    }
}
