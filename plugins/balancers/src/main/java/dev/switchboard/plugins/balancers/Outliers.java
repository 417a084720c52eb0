package dev.switchboard.plugins.balancers;

import java.util.Arrays;

/**
 * oxy's {@code memmetrics.SplitFloat64}: a value is bad iff it exceeds {@code (median + MAD) × threshold}, where the
 * median and the median absolute deviation are taken over the values plus, for an even count, a sentinel (so that of
 * two values one can stand out).
 */
final class Outliers {
    /** oxy's {@code splitThreshold}. */
    static final double THRESHOLD = 1.5;

    private Outliers() {
    }

    /** bad[i] for each value. */
    static boolean[] bad(double[] values, double threshold, double sentinel) {
        double[] sample = values.length % 2 == 0 ? Arrays.copyOf(values, values.length + 1) : values.clone();
        if (values.length % 2 == 0) {
            sample[sample.length - 1] = sentinel;
        }
        double m = median(sample);
        double[] distances = new double[sample.length];
        for (int i = 0; i < sample.length; i++) {
            distances[i] = Math.abs(sample[i] - m);
        }
        double mad = median(distances);
        boolean[] bad = new boolean[values.length];
        for (int i = 0; i < values.length; i++) {
            bad[i] = values[i] > (m + mad) * threshold;
        }
        return bad;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int l = v.length;
        return l % 2 != 0 ? v[l / 2] : (v[l / 2 - 1] + v[l / 2]) / 2.0;
    }
}
