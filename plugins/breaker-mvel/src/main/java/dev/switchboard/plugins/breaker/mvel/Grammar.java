package dev.switchboard.plugins.breaker.mvel;

import dev.switchboard.spi.breaker.BackendMetrics;

/** The three functions of Traefik v1's breaker expressions, their arities and argument rules. */
enum Grammar {
    /** {@code NetworkErrorRatio()}: outcomes 502 or 504 over all requests. */
    NETWORK_ERROR_RATIO("NetworkErrorRatio", 0),
    /** {@code LatencyAtQuantileMS(q)}: q in percent, result in whole milliseconds. */
    LATENCY_AT_QUANTILE_MS("LatencyAtQuantileMS", 1),
    /** {@code ResponseCodeRatio(from, to, dFrom, dTo)}: codes in [from, to) over codes in [dFrom, dTo). */
    RESPONSE_CODE_RATIO("ResponseCodeRatio", 4);

    static final String FUNCTIONS_DESCRIPTION =
            "NetworkErrorRatio(), LatencyAtQuantileMS(quantile) and ResponseCodeRatio(from, to, dFrom, dTo)";
    /** Bound on a status-code argument (Traefik users write 0 and 600 as range ends). */
    static final int MAX_CODE = 1000;

    final String name;
    final int arity;

    Grammar(String name, int arity) {
        this.name = name;
        this.arity = arity;
    }

    static boolean isFunction(String word) {
        return byName(word) != null;
    }

    static Grammar byName(String word) {
        for (Grammar f : values()) {
            if (f.name.equals(word)) {
                return f;
            }
        }
        return null;
    }

    /** The function's value for these validated arguments. */
    double apply(BackendMetrics m, double[] args) {
        return switch (this) {
            case NETWORK_ERROR_RATIO -> m.networkErrorRatio();
            case LATENCY_AT_QUANTILE_MS -> (double) m.latencyAtQuantileMs(args[0]);
            case RESPONSE_CODE_RATIO -> m.responseCodeRatio((int) args[0], (int) args[1], (int) args[2],
                    (int) args[3]);
        };
    }
}
