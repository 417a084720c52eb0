package dev.switchboard.provider.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.kernel.Switchboard;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two in-process proxies (the kernel's {@link Switchboard}, with the real matcher and balancer plugins found on the
 * class path and this module's etcd provider) watching one etcd prefix: a change put into etcd reaches both, and
 * requests are routed by the new rule. Real sockets on loopback; timings are printed for the note.
 */
class EtcdConvergenceTest {

    private static final Duration CONVERGENCE = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    private EtcdServer etcd;
    private HttpServer backend;
    private Switchboard a;
    private Switchboard b;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeEach
    void setUp() throws Exception {
        etcd = EtcdServer.started(dir);
        backend = HttpServer.create(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 16);
        backend.createContext("/", exchange -> {
            byte[] body = ("backend saw " + exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        backend.start();
        etcd.put("/traefik/backends/web/servers/s1/url", "http://127.0.0.1:" + backend.getAddress().getPort());
        etcd.put("/traefik/frontends/site/backend", "web");
        etcd.put("/traefik/frontends/site/routes/main/rule", "Path:/start");
        a = proxy();
        b = proxy();
    }

    @AfterEach
    void tearDown() {
        for (AutoCloseable c : new AutoCloseable[] {a, b}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // keep closing the rest
                }
            }
        }
        if (backend != null) {
            backend.stop(0);
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    /**
     * A proxy as a user would configure it for a fleet: Traefik's providersThrottleDuration lowered from 2 s (the
     * throttle holds back every snapshot after the first for that long, which is what would otherwise dominate).
     */
    private Switchboard proxy() throws Exception {
        String toml = """
                providersThrottleDuration = "50ms"
                [entryPoints.http]
                  address = "127.0.0.1:0"
                [etcd]
                  endpoint = "%s"
                  prefix = "/traefik"
                  watch = true
                  useAPIV3 = true
                """.formatted(etcd.hostPort());
        Switchboard s = Switchboard.fromToml(toml, new Switchboard.Options(null, true, Duration.ofSeconds(10)));
        s.start();
        return s;
    }

    @Test
    void twoProxiesWatchingOnePrefixRouteByANewRuleWithinASecondOfThePut() throws Exception {
        assertEquals(200, get(a, "/start"));
        assertEquals(200, get(b, "/start"));

        long put = System.nanoTime();
        etcd.put("/traefik/frontends/site/routes/main/rule", "Path:/moved");
        long aMillis = millisUntilRouted(a, "/moved", put);
        long bMillis = millisUntilRouted(b, "/moved", put);
        System.out.printf("[etcd convergence] put -> routed by the new rule: proxy A %d ms, proxy B %d ms%n",
                aMillis, bMillis);
        assertTrue(aMillis <= CONVERGENCE.toMillis() && bMillis <= CONVERGENCE.toMillis(),
                "both proxies within " + CONVERGENCE + ": A " + aMillis + " ms, B " + bMillis + " ms");
        assertEquals(404, get(a, "/start"), "the old rule is gone on A");
        assertEquals(404, get(b, "/start"), "the old rule is gone on B");
    }

    @Test
    void medianTimeFromPutToFirstRequestRoutedByTheNewRuleOverFiftyChanges() throws Exception {
        assertEquals(200, get(a, "/start"));
        List<Long> onA = new ArrayList<>();
        List<Long> onBoth = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String path = "/change-" + i;
            long put = System.nanoTime();
            etcd.put("/traefik/frontends/site/routes/main/rule", "Path:" + path);
            long first = millisUntilRouted(a, path, put);
            long second = millisUntilRouted(b, path, put);
            onA.add(first);
            onBoth.add(Math.max(first, second));
        }
        Collections.sort(onA);
        Collections.sort(onBoth);
        System.out.printf("[etcd put->routed] 50 changes, proxy A: median %d ms, p90 %d ms, max %d ms; both proxies:"
                        + " median %d ms, max %d ms (coalesce 100 ms default, providersThrottleDuration 50 ms)%n",
                median(onA), onA.get(44), onA.get(49), median(onBoth), onBoth.get(49));
        assertTrue(median(onBoth) <= CONVERGENCE.toMillis(), "median " + median(onBoth) + " ms");
    }

    @Test
    void etcdStoppedAndRestartedUnderLoadFailsNoRequestAndChangesResume() throws Exception {
        assertEquals(200, get(a, "/start"));
        java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong failed = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread load = new Thread(() -> {
            while (running.get()) {
                for (Switchboard proxy : new Switchboard[] {a, b}) {
                    sent.incrementAndGet();
                    try {
                        int status = get(proxy, "/start");
                        if (status != 200) {
                            failed.incrementAndGet();
                            failures.add("status " + status);
                        }
                    } catch (Exception | AssertionError e) {
                        failed.incrementAndGet();
                        failures.add(e.toString());
                    }
                }
            }
        }, "load");
        load.start();
        try {
            EtcdProviderTest.await(() -> sent.get() >= 200, "load is flowing");
            etcd.stop();
            long atStop = sent.get();
            EtcdProviderTest.await(() -> sent.get() >= atStop + 500, "500 requests while etcd is down");
            etcd.start();
            etcd.put("/traefik/backends/web2/servers/s1/url", "http://127.0.0.1:" + backend.getAddress().getPort());
            etcd.put("/traefik/frontends/added/backend", "web2");
            etcd.put("/traefik/frontends/added/routes/main/rule", "Path:/added");
            long put = System.nanoTime();
            long aMillis = millisUntilRouted(a, "/added", put);
            long bMillis = millisUntilRouted(b, "/added", put);
            // The reconnection waits out the provider's backoff (doubled per failed attempt, capped at 5 s).
            System.out.printf("[etcd restart under load] %d requests, %d failed; after the restart a new frontend was"
                    + " routed in %d ms (A) and %d ms (B), backoff included%n", sent.get(), failed.get(), aMillis,
                    bMillis);
        } finally {
            running.set(false);
            load.join(10_000);
        }
        assertEquals(0, failed.get(), () -> "failed requests: " + failures.stream().limit(5).toList());
        assertEquals(200, get(a, "/start"), "the unchanged frontend still routes");
    }

    private static long median(List<Long> sorted) {
        return (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
    }

    /** Polls {@code path} on {@code proxy} until it answers 200 (2 ms apart, 10 s deadline); ms since {@code from}. */
    private long millisUntilRouted(Switchboard proxy, String path, long from) throws Exception {
        long deadline = from + TimeUnit.SECONDS.toNanos(10);
        while (get(proxy, path) != 200) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(path + " not routed within 10 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - from);
    }

    private int get(Switchboard proxy, String path) throws IOException, InterruptedException {
        InetSocketAddress at = proxy.boundAddress("http");
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + at.getPort() + path))
                .timeout(Duration.ofSeconds(5)).GET().build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
            assertEquals("backend saw " + path, r.body());
        }
        return r.statusCode();
    }
}
