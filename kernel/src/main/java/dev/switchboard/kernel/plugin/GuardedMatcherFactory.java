package dev.switchboard.kernel.plugin;

import dev.switchboard.spi.http.RequestView;
import dev.switchboard.spi.match.IndexHint;
import dev.switchboard.spi.match.Matcher;
import dev.switchboard.spi.match.MatcherFactory;
import dev.switchboard.spi.match.Modifier;
import dev.switchboard.spi.match.RequestRewrite;
import dev.switchboard.spi.match.RuleClause;
import dev.switchboard.spi.match.RuleException;

/**
 * A plugin's {@link MatcherFactory} behind the kernel's guard: its code runs with the plugin's class loader as
 * context loader, and nothing it throws escapes as anything but a {@link RuleException} (at configuration time) or a
 * decision (per request: a matcher that throws does not match; a modifier that throws fails that request).
 */
public final class GuardedMatcherFactory implements MatcherFactory {
    private final MatcherFactory delegate;
    private final ExtensionRef ref;
    private final PluginFailureLog failures;
    private final PluginCallGuard guard;

    public GuardedMatcherFactory(MatcherFactory delegate, ExtensionRef ref, PluginFailureLog failures) {
        this(delegate, ref, failures, new PluginCallGuard(ref, PluginGuardSettings.DEFAULTS));
    }

    public GuardedMatcherFactory(MatcherFactory delegate, ExtensionRef ref, PluginFailureLog failures,
                                 PluginCallGuard guard) {
        this.delegate = delegate;
        this.ref = ref;
        this.failures = failures;
        this.guard = guard;
    }

    /** The slow-call quarantine shared by every matcher and modifier this factory builds. */
    public PluginCallGuard guard() {
        return guard;
    }

    public ExtensionRef ref() {
        return ref;
    }

    @Override
    public String name() {
        return ref.name();
    }

    @Override
    public Matcher create(RuleClause clause) throws RuleException {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(ref.classLoader());
        try {
            Matcher m = delegate.create(clause);
            if (m == null) {
                throw new RuleException(ref + " returned no matcher");
            }
            IndexHint hint;
            try {
                hint = m.indexHint();
            } catch (Throwable e) {
                throw new RuleException(ref + " failed to describe its matcher: " + e, e);
            }
            Modifier modifier;
            try {
                modifier = m.modifier();
            } catch (Throwable e) {
                throw new RuleException(ref + " failed to build its modifier: " + e, e);
            }
            return new GuardedMatcher(m, hint == null ? IndexHint.NONE : hint,
                    modifier == null ? null : new GuardedModifier(modifier, ref, failures, guard), ref, failures,
                    guard);
        } catch (RuleException e) {
            throw e;
        } catch (Throwable e) {
            throw new RuleException(ref + " failed: " + e, e);
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    /** A matcher whose failures are "does not match", and which does not match while quarantined. */
    static final class GuardedMatcher implements Matcher {
        private final Matcher delegate;
        private final IndexHint hint;
        private final Modifier modifier;
        private final ExtensionRef ref;
        private final PluginFailureLog failures;
        private final PluginCallGuard guard;

        GuardedMatcher(Matcher delegate, IndexHint hint, Modifier modifier, ExtensionRef ref,
                       PluginFailureLog failures, PluginCallGuard guard) {
            this.delegate = delegate;
            this.hint = hint;
            this.modifier = modifier;
            this.ref = ref;
            this.failures = failures;
            this.guard = guard;
        }

        @Override
        public boolean matches(RequestView request) {
            long start = guard.now();
            if (!guard.admits(start)) {
                return false;
            }
            Thread t = Thread.currentThread();
            ClassLoader previous = t.getContextClassLoader();
            t.setContextClassLoader(ref.classLoader());
            PluginCallSite site = guard.enter(start);
            try {
                return delegate.matches(request);
            } catch (Throwable e) {
                failures.failed(ref, "matching a request (treated as no match)", e);
                return false;
            } finally {
                guard.exit(site, start);
                t.setContextClassLoader(previous);
            }
        }

        @Override
        public Modifier modifier() {
            return modifier;
        }

        @Override
        public IndexHint indexHint() {
            return hint;
        }
    }

    /**
     * A modifier whose failure is logged and rethrown as {@link PluginFailureException} (the request gets 500); while
     * its extension is quarantined it is not called and the request gets 500 likewise (not logged per request).
     */
    static final class GuardedModifier implements Modifier {
        private final Modifier delegate;
        private final int order;
        private final ExtensionRef ref;
        private final PluginFailureLog failures;
        private final PluginCallGuard guard;
        private final PluginFailureException refused;

        GuardedModifier(Modifier delegate, ExtensionRef ref, PluginFailureLog failures, PluginCallGuard guard) {
            this.delegate = delegate;
            this.order = delegate.order();
            this.ref = ref;
            this.failures = failures;
            this.guard = guard;
            this.refused = new PluginFailureException(ref, new QuarantinedException());
        }

        /** The cause of a refused call; without a stack trace, made once per modifier. */
        private static final class QuarantinedException extends RuntimeException {
            private static final long serialVersionUID = 1L;

            QuarantinedException() {
                super("quarantined for being slow; not called", null, false, false);
            }
        }

        @Override
        public int order() {
            return order;
        }

        @Override
        public void apply(RequestRewrite request) {
            long start = guard.now();
            if (!guard.admits(start)) {
                throw refused;
            }
            Thread t = Thread.currentThread();
            ClassLoader previous = t.getContextClassLoader();
            t.setContextClassLoader(ref.classLoader());
            PluginCallSite site = guard.enter(start);
            try {
                delegate.apply(request);
            } catch (Throwable e) {
                failures.failed(ref, "rewriting a request (answered 500)", e);
                throw new PluginFailureException(ref, e);
            } finally {
                guard.exit(site, start);
                t.setContextClassLoader(previous);
            }
        }
    }
}
