package dev.switchboard.kernel.plugin;

import dev.switchboard.spi.breaker.ExpressionCompiler;
import dev.switchboard.spi.breaker.ExpressionException;
import dev.switchboard.spi.breaker.TripCondition;

/**
 * A plugin's {@link ExpressionCompiler} behind the kernel's guard: compiling failures other than
 * {@link ExpressionException} are reported as one naming the plugin; a condition that throws while evaluated counts
 * as false, logged (rate-limited).
 */
public final class GuardedExpressionCompiler implements ExpressionCompiler {
    private final ExpressionCompiler delegate;
    private final ExtensionRef ref;
    private final PluginFailureLog failures;

    public GuardedExpressionCompiler(ExpressionCompiler delegate, ExtensionRef ref, PluginFailureLog failures) {
        this.delegate = delegate;
        this.ref = ref;
        this.failures = failures;
    }

    public ExtensionRef ref() {
        return ref;
    }

    @Override
    public String language() {
        return ref.name();
    }

    @Override
    public TripCondition compile(String expression) throws ExpressionException {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(ref.classLoader());
        try {
            TripCondition c = delegate.compile(expression);
            if (c == null) {
                throw new ExpressionException(ref + " returned no condition", -1);
            }
            return metrics -> {
                Thread th = Thread.currentThread();
                ClassLoader prev = th.getContextClassLoader();
                th.setContextClassLoader(ref.classLoader());
                try {
                    return c.test(metrics);
                } catch (Throwable e) {
                    failures.failed(ref, "evaluating \"" + expression + "\" (counted as false)", e);
                    return false;
                } finally {
                    th.setContextClassLoader(prev);
                }
            };
        } catch (ExpressionException e) {
            throw e;
        } catch (Throwable e) {
            throw new ExpressionException(ref + " failed: " + e, -1);
        } finally {
            t.setContextClassLoader(previous);
        }
    }
}
