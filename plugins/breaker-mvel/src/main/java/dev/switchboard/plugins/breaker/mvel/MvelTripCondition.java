package dev.switchboard.plugins.breaker.mvel;

import dev.switchboard.spi.breaker.BackendMetrics;
import dev.switchboard.spi.breaker.TripCondition;
import org.mvel2.MVEL;
import org.mvel2.integration.impl.MapVariableResolverFactory;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A compiled breaker expression: the function values are computed by this class from the {@link BackendMetrics}
 * (MVEL never sees the metrics object, only doubles), then MVEL evaluates the canonical comparison/logic over them.
 *
 * <p>Thread-safe: evaluations of one condition are serialized, because MVEL's compiled statements optimize themselves
 * lazily on first runs and have had concurrency defects (mvel/mvel#113, DROOLS-6432). A breaker evaluates at most
 * every check period (100 ms), so the lock is never contended in practice. Allocation: one small map per evaluation.
 */
final class MvelTripCondition implements TripCondition {

    private final String source;
    private final String canonical;
    private final Serializable compiled;
    private final Node.Call[] calls;
    private final String[] names;

    MvelTripCondition(String source, CanonicalForm form, Serializable compiled) {
        this.source = source;
        this.canonical = form.text();
        this.compiled = compiled;
        List<Node.Call> list = form.calls();
        this.calls = list.toArray(new Node.Call[0]);
        this.names = new String[calls.length];
        for (int i = 0; i < names.length; i++) {
            names[i] = CanonicalForm.inputName(i);
        }
    }

    @Override
    public boolean test(BackendMetrics metrics) {
        Map<String, Object> values = new HashMap<>(calls.length * 2 + 1);
        for (int i = 0; i < calls.length; i++) {
            values.put(names[i], calls[i].function().apply(metrics, calls[i].args()));
        }
        Object result;
        synchronized (this) {
            result = MVEL.executeExpression(compiled, new MapVariableResolverFactory(values));
        }
        if (result instanceof Boolean b) {
            return b;
        }
        throw new IllegalStateException("breaker expression " + source + " gave " + result + ", not a boolean");
    }

    /** The text MVEL compiled (for logs and tests). */
    String canonical() {
        return canonical;
    }

    @Override
    public String toString() {
        return source;
    }
}
