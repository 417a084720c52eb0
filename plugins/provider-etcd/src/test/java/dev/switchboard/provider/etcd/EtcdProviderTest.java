package dev.switchboard.provider.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.config.ConfigProblem;
import dev.switchboard.spi.model.Backend;
import dev.switchboard.spi.model.Configuration;
import dev.switchboard.spi.model.Frontend;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider against a real etcd: snapshots as keys change, and every failure of the store the issue lists. */
class EtcdProviderTest {

    @TempDir
    Path dir;

    private EtcdServer etcd;
    private EtcdProvider provider;

    @AfterEach
    void tearDown() {
        if (provider != null) {
            provider.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    private RecordingContext context(Map<String, Object> extra) {
        Map<String, Object> values = new HashMap<>();
        values.put("endpoint", etcd.hostPort());
        values.put("prefix", "/traefik");
        values.put("watch", true);
        values.put("useAPIV3", true);
        values.put("retryMin", "20ms");
        values.put("retryMax", "200ms");
        values.putAll(extra);
        return RecordingContext.etcdSection(values);
    }

    private void putBackendAndFrontend() throws Exception {
        etcd.put("/traefik/backends/b1/servers/s1/url", "http://127.0.0.1:8081");
        etcd.put("/traefik/backends/b1/servers/s1/weight", "3");
        etcd.put("/traefik/frontends/f1/backend", "b1");
        etcd.put("/traefik/frontends/f1/routes/r1/rule", "Host:a.example");
    }

    private static String rule(Configuration c, String frontend) {
        Frontend f = c.frontends().get(frontend);
        return f == null ? null : f.routes().values().iterator().next().rule();
    }

    @Test
    void routingAppearsChangesAndDisappearsAsKeysArePutAndDeleted() throws Exception {
        etcd = EtcdServer.started(dir);
        putBackendAndFrontend();
        provider = new EtcdProvider();
        RecordingContext ctx = context(Map.of());
        provider.start(ctx);

        // The first snapshot is published before start() returns.
        Configuration first = ctx.published.poll();
        assertTrue(first != null, "no snapshot when start() returned");
        assertEquals("Host:a.example", rule(first, "f1"));
        Backend b1 = first.backends().get("b1");
        assertEquals(URI.create("http://127.0.0.1:8081"), b1.servers().get("s1").url());
        assertEquals(3, b1.servers().get("s1").weight());
        assertTrue(first.frontends().get("f1").passHostHeader(), "KV default for passHostHeader is true");

        etcd.put("/traefik/frontends/f1/routes/r1/rule", "Host:b.example");
        assertEquals("Host:b.example", rule(ctx.nextSnapshot(), "f1"));

        etcd.put("/traefik/backends/b1/servers/s2/url", "http://127.0.0.1:8082");
        Configuration withTwo = ctx.nextSnapshot();
        assertEquals(2, withTwo.backends().get("b1").servers().size());

        etcd.deletePrefix("/traefik/frontends/f1/");
        Configuration gone = ctx.nextSnapshot();
        assertFalse(gone.frontends().containsKey("f1"), "frontend removed with its keys");
        assertTrue(gone.backends().containsKey("b1"));
        assertTrue(ctx.rejected.isEmpty(), () -> "rejected: " + ctx.rejected);
    }

    @Test
    void burstOfPutsIsPublishedAsOneSnapshotAfterTheQuietPeriod() throws Exception {
        etcd = EtcdServer.started(dir);
        putBackendAndFrontend();
        provider = new EtcdProvider();
        RecordingContext ctx = context(Map.of("coalesce", "300ms", "coalesceMax", "5s"));
        provider.start(ctx);
        ctx.nextSnapshot();

        for (int i = 0; i < 20; i++) {
            etcd.put("/traefik/backends/b1/servers/burst" + i + "/url", "http://127.0.0.1:" + (9000 + i));
        }
        Configuration after = ctx.nextSnapshot();
        assertEquals(21, after.backends().get("b1").servers().size(), "one snapshot holding the whole burst");
        // Nothing else follows: the burst was one publication (waiting past two quiet periods to be sure).
        assertNull(ctx.published.poll(700, TimeUnit.MILLISECONDS), "a second snapshot for the same burst");
    }

    @Test
    void etcdUnreachableAtStartThenStartedDeliversTheFirstSnapshot() throws Exception {
        etcd = EtcdServer.create(dir);
        etcd.start();
        putBackendAndFrontend();
        etcd.stop();

        provider = new EtcdProvider();
        RecordingContext ctx = context(Map.of());
        long before = System.nanoTime();
        provider.start(ctx);
        long startMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
        assertTrue(startMillis < 3000, "start() must not wait for an unreachable etcd; took " + startMillis + " ms");
        assertTrue(ctx.published.isEmpty(), "nothing to publish without etcd");
        assertEquals(1, provider.session().losses());

        etcd.start();
        Configuration first = ctx.nextSnapshot();
        assertEquals("Host:a.example", rule(first, "f1"));
        assertTrue(ctx.rejected.isEmpty());
        // ... and it watches from there.
        etcd.put("/traefik/frontends/f1/priority", "7");
        assertEquals(7, ctx.nextSnapshot().frontends().get("f1").priority());
    }

    @Test
    void etcdStoppedWhileWatchingKeepsTheLastSnapshotAndResumesWhenBack() throws Exception {
        etcd = EtcdServer.started(dir);
        putBackendAndFrontend();
        provider = new EtcdProvider();
        RecordingContext ctx = context(Map.of());
        provider.start(ctx);
        ctx.nextSnapshot();

        etcd.stop();
        await(() -> provider.session().losses() == 1, "the provider notices that etcd is gone");
        assertTrue(ctx.published.isEmpty() && ctx.rejected.isEmpty(), "nothing published while etcd is down");

        etcd.start();
        etcd.put("/traefik/frontends/f1/routes/r1/rule", "Host:after-restart.example");
        Configuration resumed = ctx.nextSnapshot();
        assertEquals("Host:after-restart.example", rule(resumed, "f1"),
                "the re-read after reconnecting is identical to the last snapshot, so the next one is the change");
        assertEquals(1, provider.session().losses(), "one state change logged, however many attempts");
    }

    @Test
    void compactionWhileTheWatcherLagsIsSurvivedByReReadingThePrefix() throws Exception {
        etcd = EtcdServer.started(dir);
        putBackendAndFrontend();
        provider = new EtcdProvider();
        CountDownLatch atWatch = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger watches = new AtomicInteger();
        provider.beforeWatch(revision -> {
            if (watches.getAndIncrement() == 0) {
                atWatch.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        RecordingContext ctx = context(Map.of());
        provider.start(ctx);
        ctx.nextSnapshot();
        assertTrue(atWatch.await(10, TimeUnit.SECONDS));

        // The watcher is held back at the revision it read; meanwhile history moves on and is compacted away.
        for (int i = 1; i <= 5; i++) {
            etcd.put("/traefik/frontends/f1/routes/r1/rule", "Host:v" + i + ".example");
        }
        etcd.compact(etcd.revision());
        release.countDown();

        Configuration after = ctx.nextSnapshot();
        assertEquals("Host:v5.example", rule(after, "f1"));
        assertEquals(1, provider.session().cancellations(), "etcd cancelled the watch for compaction");
        etcd.put("/traefik/frontends/f1/routes/r1/rule", "Host:v6.example");
        assertEquals("Host:v6.example", rule(ctx.nextSnapshot(), "f1"), "watching again after the re-read");
    }

    @Test
    void badValueIsRejectedNamingTheKeyAndThePreviousSnapshotKeepsServing() throws Exception {
        etcd = EtcdServer.started(dir);
        putBackendAndFrontend();
        provider = new EtcdProvider();
        RecordingContext ctx = context(Map.of());
        provider.start(ctx);
        ctx.nextSnapshot();

        etcd.put("/traefik/backends/b1/servers/s1/weight", "heavy");
        ConfigException e = ctx.nextRejection();
        ConfigProblem p = e.problems().get(0);
        assertEquals("etcd:/traefik/backends/b1/servers/s1/weight", p.origin().file());
        assertEquals("backends.b1.servers.s1.weight", p.key());
        assertTrue(p.message().contains("\"heavy\" is not an integer"), p.message());
        assertTrue(ctx.published.isEmpty(), "nothing published for a bad value");

        etcd.put("/traefik/backends/b1/servers/s1/weight", "5");
        assertEquals(5, ctx.nextSnapshot().backends().get("b1").servers().get("s1").weight());
    }

    @Test
    void closeStopsTheWatchPromptly() throws Exception {
        etcd = EtcdServer.started(dir);
        putBackendAndFrontend();
        provider = new EtcdProvider();
        RecordingContext ctx = context(Map.of());
        provider.start(ctx);
        ctx.nextSnapshot();
        await(() -> threadAlive("switchboard-etcd"), "the watch thread runs");

        long before = System.nanoTime();
        provider.close();
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
        assertTrue(tookMillis < 1000, "close() took " + tookMillis + " ms");
        assertFalse(threadAlive("switchboard-etcd"), "watch thread still alive after close()");
        provider = null;
    }

    @Test
    void checkReadsOnceAndReportsAnUnreachableStoreAsAnError() throws Exception {
        etcd = EtcdServer.started(dir);
        putBackendAndFrontend();
        RecordingContext ctx = context(Map.of());
        new EtcdProvider().check(ctx);
        assertEquals("Host:a.example", rule(ctx.nextSnapshot(), "f1"));

        etcd.stop();
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> new EtcdProvider().check(context(Map.of())));
        assertTrue(e.getMessage().contains("cannot read /traefik/ from etcd"), e.getMessage());
    }

    @Test
    void userLimitedToThePrefixAuthenticatesReadsAndWatches() throws Exception {
        etcd = EtcdServer.started(dir);
        putBackendAndFrontend();
        EtcdClient admin = etcd.enableAuth("root", "root-secret", "proxy", "proxy-secret", "/traefik/");

        provider = new EtcdProvider();
        RecordingContext ctx = context(Map.of("username", "proxy", "password", "proxy-secret"));
        provider.start(ctx);
        assertEquals("Host:a.example", rule(ctx.nextSnapshot(), "f1"));

        admin.put("/traefik/frontends/f1/routes/r1/rule", "Host:authenticated.example");
        assertEquals("Host:authenticated.example", rule(ctx.nextSnapshot(), "f1"));
    }

    @Test
    void wrongPasswordIsReportedAsUnreachableWithEtcdsReasonAndNothingIsPublished() throws Exception {
        etcd = EtcdServer.started(dir);
        putBackendAndFrontend();
        etcd.enableAuth("root", "root-secret", "proxy", "proxy-secret", "/traefik/");
        RecordingContext ctx = context(Map.of("username", "proxy", "password", "wrong"));
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> new EtcdProvider().check(ctx));
        assertTrue(e.getMessage().contains("/v3/auth/authenticate (user 'proxy')")
                && e.getMessage().contains("authentication failed"), e.getMessage());
        assertTrue(ctx.published.isEmpty());
    }

    private static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within 30 s: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}
