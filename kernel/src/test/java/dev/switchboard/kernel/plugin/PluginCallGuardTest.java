package dev.switchboard.kernel.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.kernel.plugin.GuardedMatcherFactory.GuardedMatcher;
import dev.switchboard.kernel.plugin.GuardedMatcherFactory.GuardedModifier;
import dev.switchboard.kernel.testing.CapturedStderr;
import dev.switchboard.kernel.testing.TestRequest;
import dev.switchboard.spi.balance.Balancer;
import dev.switchboard.spi.match.IndexHint;
import dev.switchboard.spi.match.Matcher;
import dev.switchboard.spi.match.Modifier;
import dev.switchboard.spi.match.RequestRewrite;
import dev.switchboard.spi.model.Origin;
import dev.switchboard.spi.model.Server;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Strikes, quarantine, half-open trials and the stuck-call watchdog, on an injected clock: a "slow" plugin here
 * advances the clock instead of sleeping.
 */
class PluginCallGuardTest {
    static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    static final long S = TimeUnit.SECONDS.toNanos(1);

    final AtomicLong now = new AtomicLong(5_000 * S);
    final PluginFailureLog failures = new PluginFailureLog(now::get);
    final ExtensionRef matcherRef = new ExtensionRef("matcher", "Slow", "hostile", "plugins/hostile.jar",
            "x.Slow", null);
    final ExtensionRef balancerRef = new ExtensionRef("balancer", "slowpick", "hostile", "plugins/hostile.jar",
            "x.SlowPick", null);
    final TestRequest request = TestRequest.get("http", "a.test", "/");

    /** A matcher taking {@code cost} of the injected clock per call, counting its calls. */
    final AtomicLong cost = new AtomicLong(200 * MS);
    final AtomicInteger calls = new AtomicInteger();
    final Matcher slowMatcher = new Matcher() {
        @Override
        public boolean matches(dev.switchboard.spi.http.RequestView r) {
            calls.incrementAndGet();
            now.addAndGet(cost.get());
            return true;
        }
    };

    PluginCallGuard guard(ExtensionRef ref, PluginGuardSettings settings) {
        return new PluginCallGuard(ref, settings, now::get);
    }

    GuardedMatcher matcher(PluginCallGuard g) {
        return new GuardedMatcher(slowMatcher, IndexHint.NONE, null, matcherRef, failures, g);
    }

    @Test
    void callsWithinTheBudgetNeverStrike() {
        PluginCallGuard g = guard(matcherRef, PluginGuardSettings.DEFAULTS);
        GuardedMatcher m = matcher(g);
        cost.set(50 * MS);
        for (int i = 0; i < 100; i++) {
            assertTrue(m.matches(request));
        }
        assertFalse(g.quarantined());
        assertEquals(100, calls.get());
    }

    @Test
    void threeSlowCallsWithinTheWindowQuarantineTheMatcherWhichThenDoesNotMatchWithoutBeingCalled() {
        PluginCallGuard g = guard(matcherRef, PluginGuardSettings.DEFAULTS);
        GuardedMatcher m = matcher(g);
        try (CapturedStderr err = new CapturedStderr()) {
            assertTrue(m.matches(request));
            assertTrue(m.matches(request));
            assertFalse(g.quarantined(), "two strikes are not enough");
            assertTrue(m.matches(request), "the third slow call still answers");
            assertTrue(g.quarantined());
            for (int i = 0; i < 50; i++) {
                assertFalse(m.matches(request), "quarantined: does not match");
            }
            assertEquals(3, calls.get(), "not called while quarantined");
            String log = err.text();
            assertEquals(1, count(log, "quarantined for 30 s"), log);
            assertTrue(log.contains("matcher 'Slow' of plugin 'hostile' (plugins/hostile.jar) quarantined for 30 s: "
                    + "3 calls slower than the budget of 50 ms within 10 s (the last took 200 ms)"), log);
            assertTrue(log.contains("their frontends stop matching"), log);
        }
    }

    @Test
    void slowCallsSpreadWiderThanTheWindowDoNotQuarantine() {
        PluginCallGuard g = guard(matcherRef, PluginGuardSettings.DEFAULTS);
        GuardedMatcher m = matcher(g);
        for (int i = 0; i < 10; i++) {
            assertTrue(m.matches(request));
            now.addAndGet(5 * S); // 3 strikes span 10.4 s > 10 s
        }
        assertFalse(g.quarantined());
        assertEquals(10, calls.get());
    }

    @Test
    void slowCallsOverlappingInTimeOnSeveralLoopsCountAsOneStrike() {
        // One stall (a GC pause) slows every loop's call at once: that is not the plugin being slow three times.
        PluginCallGuard g = guard(matcherRef, PluginGuardSettings.DEFAULTS);
        for (int round = 0; round < 2; round++) {
            long start = now.get();
            now.addAndGet(300 * MS);
            for (int loop = 0; loop < 8; loop++) {
                g.exit(g.enter(start), start + loop * MS);
            }
            assertFalse(g.quarantined(), "round " + round + ": 8 overlapping slow calls are one strike");
            now.addAndGet(MS);
        }
        long start = now.get();
        now.addAndGet(300 * MS);
        g.exit(g.enter(start), start);
        assertTrue(g.quarantined(), "the third separate slow episode");
    }

    @Test
    void afterTheQuarantineOneTrialGoesInAndAFastAnswerReleasesTheMatcher() {
        PluginCallGuard g = guard(matcherRef, PluginGuardSettings.DEFAULTS);
        GuardedMatcher m = matcher(g);
        try (CapturedStderr err = new CapturedStderr()) {
            for (int i = 0; i < 3; i++) {
                m.matches(request);
            }
            now.addAndGet(29 * S);
            assertFalse(m.matches(request), "29 s later: still quarantined");
            now.addAndGet(S);
            assertTrue(g.admits(now.get()), "30 s later: the trial goes in");
            assertFalse(g.admits(now.get()), "exactly one trial at a time");
            assertFalse(m.matches(request), "another loop meanwhile: refused");
            g.exit(g.enter(now.get()), now.get()); // the trial answers at once
            assertFalse(g.quarantined(), "released");
            cost.set(MS);
            assertTrue(m.matches(request));
            assertTrue(err.text().contains("matcher 'Slow' of plugin 'hostile' (plugins/hostile.jar) answered its "
                    + "trial call in 0 ms: released from quarantine"), err.text());
            assertEquals(1, count(err.text(), "released from quarantine"), err.text());
        }
    }

    @Test
    void aSlowTrialQuarantinesAgainForAnotherPeriod() {
        PluginCallGuard g = guard(matcherRef, PluginGuardSettings.DEFAULTS);
        GuardedMatcher m = matcher(g);
        try (CapturedStderr err = new CapturedStderr()) {
            for (int i = 0; i < 3; i++) {
                m.matches(request);
            }
            now.addAndGet(30 * S);
            assertTrue(m.matches(request), "the trial is called (and is slow)");
            assertEquals(4, calls.get());
            assertTrue(g.quarantined());
            assertEquals(2, g.quarantines());
            now.addAndGet(29 * S);
            assertFalse(m.matches(request));
            assertEquals(4, calls.get());
            now.addAndGet(S);
            cost.set(MS);
            assertTrue(m.matches(request), "next trial, fast");
            assertFalse(g.quarantined());
            assertTrue(err.text().contains("is still slow: its trial call took 200 ms (budget 50 ms); quarantined "
                    + "again for 30 s"), err.text());
        }
    }

    @Test
    void aZeroBudgetTurnsStrikesOff() {
        PluginCallGuard g = guard(matcherRef, PluginGuardSettings.withCallBudget(Duration.ZERO));
        GuardedMatcher m = matcher(g);
        for (int i = 0; i < 10; i++) {
            assertTrue(m.matches(request));
        }
        assertFalse(g.quarantined());
    }

    @Test
    void aQuarantinedBalancerAnswersFailedWithoutBeingCalledAndItsRecordsAreSkipped() {
        PluginCallGuard g = guard(balancerRef, PluginGuardSettings.DEFAULTS);
        Server s = new Server("s1", URI.create("http://127.0.0.1:1"), 1, Origin.UNKNOWN);
        AtomicInteger picks = new AtomicInteger();
        AtomicInteger records = new AtomicInteger();
        GuardedBalancer b = new GuardedBalancer(new Balancer() {
            @Override
            public Server pick(dev.switchboard.spi.http.RequestView r) {
                picks.incrementAndGet();
                now.addAndGet(300 * MS);
                return s;
            }

            @Override
            public void record(Server server, int status, long latencyNanos) {
                records.incrementAndGet();
            }
        }, balancerRef, failures, g);
        try (CapturedStderr err = new CapturedStderr()) {
            for (int i = 0; i < 3; i++) {
                assertSame(s, b.pick(request));
                b.record(s, 200, 1);
            }
            assertTrue(g.quarantined());
            assertSame(GuardedBalancer.FAILED, b.pick(request));
            b.record(s, 200, 1);
            assertEquals(3, picks.get());
            assertEquals(2, records.get(), "the third pick's record came after the quarantine: skipped");
            assertTrue(err.text().contains("balancer 'slowpick' of plugin 'hostile' (plugins/hostile.jar) "
                    + "quarantined for 30 s"), err.text());
            assertTrue(err.text().contains("backends using it answer 502"), err.text());
        }
    }

    @Test
    void aQuarantinedModifierFailsItsRequestWithoutBeingCalled() {
        PluginCallGuard g = guard(matcherRef, PluginGuardSettings.DEFAULTS);
        AtomicInteger applied = new AtomicInteger();
        GuardedModifier mod = new GuardedModifier(new Modifier() {
            @Override
            public int order() {
                return 1;
            }

            @Override
            public void apply(RequestRewrite r) {
                applied.incrementAndGet();
                now.addAndGet(100 * MS);
            }
        }, matcherRef, failures, g);
        for (int i = 0; i < 3; i++) {
            mod.apply(null);
        }
        PluginFailureException e = assertThrows(PluginFailureException.class, () -> mod.apply(null));
        assertTrue(e.getMessage().contains("quarantined"), e.getMessage());
        assertEquals(3, applied.get());
    }

    @Test
    void theWatchdogReportsAThreadStuckInOneCallOnceAndQuarantinesTheExtensionUntilTheCallReturns() {
        PluginCallGuard g = guard(matcherRef, PluginGuardSettings.DEFAULTS);
        GuardedMatcher m = matcher(g);
        try (CapturedStderr err = new CapturedStderr()) {
            long start = now.get();
            PluginCallSite site = g.enter(start); // this thread is now "inside" the plugin
            try {
                now.addAndGet(4 * S);
                PluginWatchdog.scan();
                assertFalse(g.quarantined(), "4 s is not stuck yet");
                now.addAndGet(2 * S);
                assertTrue(PluginWatchdog.scan() >= 1);
                PluginWatchdog.scan();
                assertTrue(g.quarantined());
                assertFalse(m.matches(request), "no other loop goes in");
                now.addAndGet(60 * S);
                PluginWatchdog.scan();
                assertFalse(m.matches(request), "no trial while the call is still stuck");
                assertEquals(0, calls.get());
            } finally {
                g.exit(site, start);
            }
            assertTrue(g.quarantined(), "returned: a normal quarantine period follows");
            now.addAndGet(30 * S);
            cost.set(MS);
            assertTrue(m.matches(request), "then a trial");
            assertFalse(g.quarantined());
            String log = err.text();
            assertEquals(1, count(log, "has been inside one call of"), log);
            assertTrue(log.contains("'" + Thread.currentThread().getName() + "' has been inside one call of matcher "
                    + "'Slow' of plugin 'hostile' (plugins/hostile.jar) for 6000 ms"), log);
            assertTrue(log.contains("the call that was stuck returned after 66 s"), log);
        }
    }

    static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
