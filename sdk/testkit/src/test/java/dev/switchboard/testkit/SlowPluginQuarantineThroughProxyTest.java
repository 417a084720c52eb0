package dev.switchboard.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A slow plugin costs only its own decisions, never a loop: a plugin jar built here whose matcher and balancer take
 * 200 ms on every call is quarantined after a few requests (its frontend stops matching, its backend answers 502)
 * while requests to other frontends of the same proxy, on the same two event loops, keep being answered; a matcher
 * that blocks without end pins one loop, is reported by the watchdog, and the other loop keeps serving.
 */
@Timeout(120)
class SlowPluginQuarantineThroughProxyTest {
    private static final String RELEASE = "switchboard.test.forever.release";

    private static final String SLOW = """
            package slow;

            import dev.switchboard.spi.balance.Balancer;
            import dev.switchboard.spi.balance.BalancerContext;
            import dev.switchboard.spi.balance.BalancerFactory;
            import dev.switchboard.spi.match.Matcher;
            import dev.switchboard.spi.match.MatcherFactory;
            import dev.switchboard.spi.match.RuleClause;
            import dev.switchboard.spi.model.Server;
            import java.util.concurrent.CountDownLatch;

            public final class Slow {
                /** Being slow is what this plugin is for. */
                static void take(long millis) {
                    try {
                        Thread.sleep(millis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }

                public static final class SlowMatch implements MatcherFactory {
                    public String name() { return "Slow"; }
                    public Matcher create(RuleClause clause) {
                        return request -> { take(200); return true; };
                    }
                }

                public static final class SlowPick implements BalancerFactory {
                    public String name() { return "slowpick"; }
                    public Balancer create(BalancerContext context) {
                        Server first = context.servers().get(0);
                        return request -> { take(200); return first; };
                    }
                }

                /**
                 * Blocks until the test ends, on the second event loop only: the first one also accepts, so pinning
                 * it would stop new connections too (documented in sdk/README.md).
                 */
                public static final class Forever implements MatcherFactory {
                    public String name() { return "Forever"; }
                    public Matcher create(RuleClause clause) {
                        return request -> {
                            if (!Thread.currentThread().getName().equals("switchboard-loop-1")) {
                                return false;
                            }
                            CountDownLatch release = (CountDownLatch) System.getProperties().get("%s");
                            try {
                                release.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return true;
                        };
                    }
                }
            }
            """.formatted(RELEASE);

    private static final Duration FAST_DEADLINE = Duration.ofSeconds(1);

    private static Path plugins;
    private static Tee err;

    @BeforeAll
    static void buildPlugin(@TempDir Path dir) {
        plugins = dir;
        PluginJarBuilder.plugin("slow").source("slow.Slow", SLOW)
                .extension("slow.Slow$SlowMatch").extension("slow.Slow$SlowPick").extension("slow.Slow$Forever")
                .writeTo(plugins);
        err = Tee.install();
    }

    @AfterAll
    static void restore() {
        err.close();
    }

    private static SwitchboardTestKit.Builder proxy() {
        return SwitchboardTestKit.builder()
                .pluginsDir(plugins)
                .staticToml("eventLoops = 2")
                .backend("fast", "fast")
                .backend("slow", "slow")
                .backend("picky", "picky")
                .backend("blocked", "blocked")
                .loadBalancer("picky", "slowpick")
                .frontend("slow", "slow", "Host: slow.test; Slow: x")
                .frontend("pick", "picky", "Host: pick.test")
                .frontend("forever", "blocked", "Host: forever.test; Forever: x")
                .frontend("fast", "fast", "Host: fast.test");
    }

    /** Sends to fast.test on another thread and waits at most {@link #FAST_DEADLINE} for the answer. */
    private static void fastRequestAnswersWithinTheDeadline(SwitchboardTestKit kit) throws Exception {
        TestResponse r = kit.getAsync("/", Map.of("Host", "fast.test"))
                .get(FAST_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals("fast", r.backend(), r::toString);
    }

    @Test
    void matcherTaking200MsPerCallIsQuarantinedWhileOtherFrontendsKeepAnsweringWithinOneSecond() throws Exception {
        try (SwitchboardTestKit kit = proxy().start()) {
            int mark = err.length();
            AtomicBoolean stop = new AtomicBoolean();
            List<Integer> slowStatuses = java.util.Collections.synchronizedList(new ArrayList<>());
            // Slow requests, one after another, until the quarantine is logged.
            CompletableFuture<Void> slowClient = CompletableFuture.runAsync(() -> {
                while (!stop.get()) {
                    slowStatuses.add(kit.get("/", Map.of("Host", "slow.test")).status());
                }
            });
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!err.since(mark).contains("matcher 'Slow' of plugin 'slow'")) {
                    assertTrue(System.nanoTime() - deadline < 0, "no quarantine logged within 20 s: "
                            + err.since(mark));
                    fastRequestAnswersWithinTheDeadline(kit); // throughout: never more than 1 s
                }
            } finally {
                stop.set(true);
                slowClient.get(10, TimeUnit.SECONDS);
            }
            String log = err.since(mark);
            assertTrue(log.contains("matcher 'Slow' of plugin 'slow' (" + plugins.resolve("slow.jar")
                    + ") quarantined for 30 s: 3 calls slower than the budget of 50 ms within 10 s"), log);
            for (int i = 0; i < 10; i++) {
                fastRequestAnswersWithinTheDeadline(kit);
                TestResponse r = kit.get("/", Map.of("Host", "slow.test"));
                assertEquals(404, r.status(), "quarantined: its frontend no longer matches; " + r);
            }
            assertTrue(slowStatuses.size() >= 3 && slowStatuses.subList(0, 3).stream().allMatch(s -> s == 200),
                    slowStatuses::toString);
            assertEquals(1, count(err.since(mark), "quarantined for 30 s"), "logged once: " + err.since(mark));
        }
    }

    @Test
    void balancerTaking200MsPerPickGives502ForItsBackendAfterQuarantineWhileOtherBackendsAreFine() throws Exception {
        try (SwitchboardTestKit kit = proxy().start()) {
            int mark = err.length();
            for (int i = 0; i < 3; i++) {
                assertEquals("picky", kit.get("/", Map.of("Host", "pick.test")).backend(), "slow, but answered");
                fastRequestAnswersWithinTheDeadline(kit);
            }
            assertTrue(err.since(mark).contains("balancer 'slowpick' of plugin 'slow' (" + plugins.resolve("slow.jar")
                    + ") quarantined for 30 s"), err.since(mark));
            for (int i = 0; i < 10; i++) {
                TestResponse r = kit.get("/", Map.of("Host", "pick.test"));
                assertEquals(502, r.status(), r::toString);
                fastRequestAnswersWithinTheDeadline(kit);
            }
            assertEquals(3, kit.echo("picky").requestCount());
        }
    }

    @Test
    void matcherBlockingForeverIsReportedByTheWatchdogAndTheOtherLoopKeepsServing() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        System.getProperties().put(RELEASE, release);
        SwitchboardTestKit kit = proxy().start();
        List<CompletableFuture<TestResponse>> blocked = new ArrayList<>();
        try {
            int mark = err.length();
            // Connections alternate between the two loops: within two requests one lands on loop 1 and stays.
            for (int i = 0; i < 2; i++) {
                blocked.add(kit.getAsync("/", Map.of("Host", "forever.test")));
            }
            Poll.until(Duration.ofSeconds(15), () -> err.since(mark), () -> err.since(mark).contains(
                    "event loop 'switchboard-loop-1' has been inside one call of matcher 'Forever' of plugin 'slow'"));
            // Loop 0 keeps serving: of requests sent now, every other one lands on it and is answered at once;
            // those on loop 1 wait for it.
            List<CompletableFuture<TestResponse>> probes = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                probes.add(kit.getAsync("/", Map.of("Host", "fast.test")));
            }
            Poll.until(Duration.ofSeconds(5), () -> probes.toString(),
                    () -> probes.stream().filter(f -> f.isDone() && !f.isCompletedExceptionally()).count() >= 3);
            for (CompletableFuture<TestResponse> f : probes) {
                if (f.isDone()) {
                    assertEquals("fast", f.get().backend());
                }
            }
            assertEquals(1, count(err.since(mark), "has been inside one call of"), "once: " + err.since(mark));
            assertTrue(err.since(mark).contains("is quarantined until then"), err.since(mark));
            blocked.addAll(probes);
        } finally {
            release.countDown();
            for (CompletableFuture<TestResponse> f : blocked) {
                f.get(30, TimeUnit.SECONDS); // the loop is free again: everything queued on it is answered
            }
            kit.close();
            System.getProperties().remove(RELEASE);
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    /** Copies what slf4j-simple writes to System.err (looked up on every line) into a buffer, still printing it. */
    static final class Tee extends OutputStream {
        private final PrintStream original;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        private Tee(PrintStream original) {
            this.original = original;
        }

        static Tee install() {
            Tee t = new Tee(System.err);
            System.setErr(new PrintStream(t, true, StandardCharsets.UTF_8));
            return t;
        }

        @Override
        public synchronized void write(int b) {
            buffer.write(b);
            original.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            buffer.write(b, off, len);
            original.write(b, off, len);
        }

        synchronized int length() {
            return buffer.size();
        }

        synchronized String since(int mark) {
            byte[] all = buffer.toByteArray();
            return new String(all, mark, all.length - mark, StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            System.setErr(original);
        }
    }
}
