package dev.switchboard.distribution;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code method = "drr"} end to end through {@code bin/switchboard}, with real backends and a steady paced load
 * (issue 5: "drr moves share away from a server made to answer 5xx (and, with the latency option, from a slow one),
 * and back after it heals").
 *
 * <p>Two backends of two servers of weight 1, each behind its own frontend, loaded at the same time:
 * <ul>
 *   <li>{@code errors}: server b answers 500 from the start. The rebalancer changes nothing until every meter has
 *       outcomes in 10 different one-second buckets (~9-10 s), then a's weight becomes 4: b's share of a second's
 *       traffic falls from 1/2 to 1/5 or less. b then heals; its errors stay in the 10 s window a while, so the next
 *       evaluation (10 s backoff) may still raise a to 16; once the window is clean the weights come back ÷4 per
 *       backoff (16 → 4 → 1) and b's share returns to the configured 1/2.</li>
 *   <li>{@code latency} ({@code latency = true}): server b answers every request after {@value #SLOW_MILLIS} ms;
 *       once the meters are ready its mean time to response head is an outlier and b's share falls the same way.</li>
 * </ul>
 * drr's timings are oxy's (10 s window, 10 s backoff) and the balancer has no option to shorten them, so the test
 * takes about 45 s: ~10 s until the first adjustment, then up to 30 s to converge back (see {@code docs/balancing.md},
 * "Timeline"). Shares are measured per second from the servers' own request counts.
 */
@Timeout(150)
class DynamicRoundRobinIT {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final long SLOW_MILLIS = 60;
    /** Clients per frontend; each sends its next request {@value #PACE_MILLIS} ms after the previous answer. */
    private static final int CLIENTS = 3;
    private static final long PACE_MILLIS = 10;

    /** One second of traffic to one backend: requests that reached a and b. */
    record Second(long atMillis, int a, int b) {
        double shareOfB() {
            return a + b == 0 ? Double.NaN : (double) b / (a + b);
        }

        @Override
        public String toString() {
            return String.format("t=%5.1fs a=%3d b=%3d b-share=%.2f", atMillis / 1000.0, a, b, shareOfB());
        }
    }

    /** Per-second samples of the two servers of one backend. */
    static final class Shares {
        final TestBackend a;
        final TestBackend b;
        final List<Second> seconds = new CopyOnWriteArrayList<>();
        private int lastA;
        private int lastB;

        Shares(TestBackend a, TestBackend b) {
            this.a = a;
            this.b = b;
        }

        void start() {
            lastA = a.requests();
            lastB = b.requests();
        }

        void sample(long atMillis) {
            int na = a.requests();
            int nb = b.requests();
            seconds.add(new Second(atMillis, na - lastA, nb - lastB));
            lastA = na;
            lastB = nb;
        }

        /** The last {@code n} seconds, or null if fewer have been sampled after {@code fromIndex}. */
        List<Second> last(int n, int fromIndex) {
            List<Second> all = new ArrayList<>(seconds);
            if (all.size() - fromIndex < n) {
                return null;
            }
            return all.subList(all.size() - n, all.size());
        }

        int size() {
            return seconds.size();
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder();
            seconds.forEach(x -> s.append("\n  ").append(x));
            return s.toString();
        }
    }

    @Test
    void drrMovesShareAwayFromAFailingServerAndBackAfterItHealsAndAwayFromASlowOne() throws Exception {
        long began = System.nanoTime();
        int port = TestBackend.freePort();
        try (TestBackend errA = TestBackend.start("errA");
             TestBackend errB = TestBackend.start("errB").answerWith(500);
             TestBackend latA = TestBackend.start("latA");
             TestBackend latB = TestBackend.slow("latB", SLOW_MILLIS)) {
            Path config = ConfigFile.write("drr.toml", """
                    logLevel = "INFO"
                    defaultEntryPoints = ["http"]
                    eventLoops = 2

                    [entryPoints]
                      [entryPoints.http]
                      address = "127.0.0.1:%d"

                    [file]

                    [frontends]
                      [frontends.errors]
                      backend = "errors"
                        [frontends.errors.routes.host]
                        rule = "Host:errors.test"
                      [frontends.latency]
                      backend = "latency"
                        [frontends.latency.routes.host]
                        rule = "Host:latency.test"

                    [backends]
                      [backends.errors]
                        [backends.errors.loadBalancer]
                        method = "drr"
                        [backends.errors.servers.a]
                        url = "%s"
                        weight = 1
                        [backends.errors.servers.b]
                        url = "%s"
                        weight = 1
                      [backends.latency]
                        [backends.latency.loadBalancer]
                        method = "drr"
                        latency = true
                        [backends.latency.servers.a]
                        url = "%s"
                        weight = 1
                        [backends.latency.servers.b]
                        url = "%s"
                        weight = 1
                    """.formatted(port, errA.url(), errB.url(), latA.url(), latB.url()));

            try (SwitchboardProcess proxy = SwitchboardProcess.of(Distribution.shared()).start("-c", config.toString())) {
                proxy.awaitResponse(port, "latency.test", "/", 200, START_TIMEOUT);
                Shares errors = new Shares(errA, errB);
                Shares latency = new Shares(latA, latB);
                ScheduledExecutorService load = Executors.newScheduledThreadPool(2 * CLIENTS + 1, task -> {
                    Thread t = new Thread(task, "drr-load");
                    t.setDaemon(true);
                    return t;
                });
                AtomicLong failedRequests = new AtomicLong();
                try {
                    for (int i = 0; i < CLIENTS; i++) {
                        client(load, port, "errors.test", failedRequests);
                        client(load, port, "latency.test", failedRequests);
                    }
                    long loadStart = System.nanoTime();
                    errors.start();
                    latency.start();
                    load.scheduleAtFixedRate(() -> {
                        long at = (System.nanoTime() - loadStart) / 1_000_000;
                        errors.sample(at);
                        latency.sample(at);
                    }, 1, 1, TimeUnit.SECONDS);

                    // Before the meters are ready (10 buckets of outcomes for every server), weights stay 1:1.
                    Poll.until(Duration.ofSeconds(10), "a first second of traffic", proxy,
                            () -> errors.size() >= 1 && latency.size() >= 1 ? Boolean.TRUE : null);
                    Second firstErr = errors.seconds.get(0);
                    Second firstLat = latency.seconds.get(0);
                    assertTrue(between(firstErr.shareOfB(), 0.4, 0.6), "errors, first second, 1:1: " + errors);
                    assertTrue(between(firstLat.shareOfB(), 0.4, 0.6), "latency, first second, 1:1: " + latency);

                    // The failing server's share falls to a's weight 4 (1/5) or below, for two seconds running.
                    Poll.until(Duration.ofSeconds(30), "errB's share to fall to 0.25 or less" + errors, proxy,
                            () -> {
                                List<Second> l = errors.last(2, 1);
                                return l != null && l.stream().allMatch(s -> s.shareOfB() <= 0.25)
                                        ? Boolean.TRUE : null;
                            });
                    long fellAt = (System.nanoTime() - loadStart) / 1_000_000;
                    assertTrue(fellAt >= 8_000, "drr adjusted before its meters could be ready (" + fellAt
                            + " ms): " + errors);
                    errB.answerWith(200);
                    int healedIndex = errors.size();

                    // The slow server loses share too (latency = true), within the same time.
                    Poll.until(Duration.ofSeconds(10), "latB's share to fall to 0.25 or less" + latency, proxy,
                            () -> {
                                List<Second> l = latency.last(2, 1);
                                return l != null && l.stream().allMatch(s -> s.shareOfB() <= 0.25)
                                        ? Boolean.TRUE : null;
                            });

                    // Healed: once its errors leave the window, the weights come back ÷4 per 10 s backoff to 1:1.
                    Poll.until(Duration.ofSeconds(40), "errB's share back to 1/2 after healing" + errors, proxy,
                            () -> {
                                List<Second> l = errors.last(2, healedIndex + 1);
                                return l != null && l.stream().allMatch(s -> between(s.shareOfB(), 0.42, 0.58))
                                        ? Boolean.TRUE : null;
                            });
                    System.out.println("DynamicRoundRobinIT shares per second (b = the failing, then healed "
                            + "server):" + errors + "\nlatency (b = the slow server):" + latency
                            + "\nrequests that failed at the client: " + failedRequests.get()
                            + "\ntest took " + (System.nanoTime() - began) / 1_000_000 + " ms");
                    assertTrue(failedRequests.get() == 0, "client-side failures: " + failedRequests.get());
                } finally {
                    load.shutdownNow();
                }
                proxy.terminate();
            }
        }
    }

    private static boolean between(double v, double low, double high) {
        return v >= low && v <= high;
    }

    /**
     * One keep-alive client: a request to {@code host}, then the next {@value #PACE_MILLIS} ms after the answer.
     * A status other than 200 or 500 (the failing server's) or a broken connection counts as a failure.
     */
    private static void client(ScheduledExecutorService load, int port, String host, AtomicLong failures) {
        HttpConnection[] connection = new HttpConnection[1];
        load.scheduleWithFixedDelay(() -> {
            try {
                if (connection[0] == null) {
                    connection[0] = HttpConnection.open(port);
                }
                int status = connection[0].get(host, "/").status();
                if (status != 200 && status != 500) {
                    failures.incrementAndGet();
                }
            } catch (IOException e) {
                failures.incrementAndGet();
                try {
                    connection[0].close();
                } catch (IOException | RuntimeException ignored) {
                    // already broken
                }
                connection[0] = null;
            }
        }, 0, PACE_MILLIS, TimeUnit.MILLISECONDS);
    }
}
