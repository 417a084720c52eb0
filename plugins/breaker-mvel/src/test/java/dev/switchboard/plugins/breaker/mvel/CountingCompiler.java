package dev.switchboard.plugins.breaker.mvel;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** The real MVEL step, counting and keeping what reaches it. */
final class CountingCompiler implements CanonicalCompiler {
    private final MvelCanonicalCompiler real = new MvelCanonicalCompiler();
    final List<String> seen = new ArrayList<>();

    @Override
    public synchronized Serializable compile(String canonical, int inputs) {
        seen.add(canonical);
        return real.compile(canonical, inputs);
    }

    synchronized int calls() {
        return seen.size();
    }
}
