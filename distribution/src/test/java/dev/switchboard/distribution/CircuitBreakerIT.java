package dev.switchboard.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A backend's circuit breaker through the real launcher, with real servers started by the test: each of Traefik v1's
 * three functions trips it; while Tripped the client gets the fallback and the server sees nothing; Recovering admits
 * a growing share; a healed backend returns to Standby; one that still fails while Recovering trips again. Durations
 * are set short through the breaker's options ({@code docs/circuit-breaker.md}).
 */
@Timeout(180)
class CircuitBreakerIT {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration TRIP_TIMEOUT = Duration.ofSeconds(20);
    private static final String HOST = "breaker.test";

    /** A main file serving {@code Host:breaker.test} from backend {@code site} with the given breaker section. */
    static String config(int port, String serverUrl, String breakerKeys) {
        return """
                logLevel = "INFO"
                defaultEntryPoints = ["http"]
                eventLoops = 2
                [entryPoints]
                  [entryPoints.http]
                  address = "127.0.0.1:%d"
                [file]
                  watch = true
                [frontends]
                  [frontends.site]
                  backend = "site"
                    [frontends.site.routes.host]
                    rule = "Host:%s"
                [backends]
                  [backends.site.servers.one]
                  url = "%s"
                  [backends.site.circuitBreaker]
                %s
                """.formatted(port, HOST, serverUrl, breakerKeys.indent(2).stripTrailing());
    }

    static SwitchboardProcess start(Path file) {
        return SwitchboardProcess.of(Distribution.shared()).start("-c", file.toString());
    }

    /** Sends requests until one is answered {@code status}; returns it. */
    static HttpConnection.Response awaitStatus(SwitchboardProcess proxy, int port, int status, String why) {
        return Poll.until(TRIP_TIMEOUT, why, proxy, () -> {
            HttpConnection.Response r = HttpConnection.get(port, HOST, "/");
            return r.status() == status ? r : null;
        });
    }

    @Test
    void networkErrorRatioTripsOnAnUnreachableServerAndTheFallbackRedirectIsServed() throws IOException {
        int port = TestBackend.freePort();
        String unreachable = "http://127.0.0.1:" + TestBackend.freePort();
        Path file = ConfigFile.write("network.toml", config(port, unreachable, """
                expression = "NetworkErrorRatio() > 0.5"
                fallbackDuration = "30s"
                fallbackRedirect = "https://status.example.com/down"
                checkPeriod = "20ms"
                """));
        try (SwitchboardProcess proxy = start(file)) {
            HttpConnection.Response first = proxy.awaitResponse(port, HOST, "/", 502, START_TIMEOUT);
            assertEquals(502, first.status(), "nothing listens: the proxy answers 502, a network error");
            HttpConnection.Response redirect = awaitStatus(proxy, port, 302, "the breaker to trip on 502s");
            assertEquals("https://status.example.com/down", redirect.header("Location"));
            assertEquals("Found", redirect.text());
            for (int i = 0; i < 20; i++) {
                assertEquals(302, HttpConnection.get(port, HOST, "/").status(), "still Tripped (30 s)");
            }
            Poll.untilTrue(TRIP_TIMEOUT, "the trip to be logged once, naming the backend", proxy,
                    () -> proxy.output().contains("Circuit breaker of backend site tripped: `NetworkErrorRatio() > "
                            + "0.5` is true with networkErrorRatio=1.000"));
            assertEquals(1, count(proxy.output(), "Circuit breaker of backend site tripped"),
                    "one log line per transition, not per request" + proxy.describeOutput());
            proxy.terminate();
        }
    }

    @Test
    void latencyAtQuantileTripsOnASlowServerAndTheConfiguredFallbackIsServedWithoutTouchingIt()
            throws IOException {
        try (TestBackend slow = TestBackend.slow("slow", 300)) {
            int port = TestBackend.freePort();
            Path file = ConfigFile.write("latency.toml", config(port, slow.url(), """
                    expression = "LatencyAtQuantileMS(50.0) > 100"
                    fallbackDuration = "30s"
                    fallbackStatus = 429
                    fallbackBody = "trop lent, réessayez"
                    checkPeriod = "20ms"
                    """));
            try (SwitchboardProcess proxy = start(file)) {
                proxy.awaitResponse(port, HOST, "/", 200, START_TIMEOUT);
                HttpConnection.Response fallback = awaitStatus(proxy, port, 429, "the breaker to trip on a p50 of 300 ms");
                assertEquals("trop lent, réessayez", fallback.text(), "the body is sent as UTF-8, framed right");
                int seen = slow.requests();
                for (int i = 0; i < 20; i++) {
                    assertEquals(429, HttpConnection.get(port, HOST, "/").status());
                }
                assertEquals(seen, slow.requests(), "Tripped: no request reaches the server");
                assertTrue(proxy.output().contains("Circuit breaker of backend site tripped: `LatencyAtQuantileMS(50.0)"
                        + " > 100` is true"), proxy.describeOutput());
                proxy.terminate();
            }
        }
    }

    /**
     * The whole cycle on servers answering 500: trip, 503 without touching the server, then (server healed)
     * Recovering with a growing admitted share per time slice, then Standby where every request passes.
     */
    @Test
    void responseCodeRatioTripsThenRecoveringAdmitsAGrowingShareAndAHealedBackendReturnsToStandby()
            throws IOException {
        try (TestBackend backend = TestBackend.start("failing").answerWith(500)) {
            int port = TestBackend.freePort();
            Path file = ConfigFile.write("codes.toml", config(port, backend.url(), """
                    expression = "ResponseCodeRatio(500, 600, 0, 600) > 0.5"
                    fallbackDuration = "2s"
                    recoveryDuration = "4s"
                    checkPeriod = "20ms"
                    window = "1s"
                    """));
            try (SwitchboardProcess proxy = start(file)) {
                proxy.awaitResponse(port, HOST, "/", 500, START_TIMEOUT);
                HttpConnection.Response tripped = awaitStatus(proxy, port, 503, "the breaker to trip on 500s");
                long trippedSeen = System.nanoTime();
                assertEquals("Service Unavailable", tripped.text(), "Traefik v1's fallback");
                backend.answerWith(200); // healed while the breaker is open

                int before = backend.requests();
                List<long[]> outcomes = new ArrayList<>(); // {nanos since trippedSeen, status}
                try (KeepAlive client = new KeepAlive(port)) {
                    // Run through Tripped (2 s) and Recovering (4 s) into Standby, until 7 s after the trip and
                    // 200 requests in a row passed. The load is paced at one request per 4 ms: oxy's ramp is
                    // linear in time at a constant arrival rate; a client that sends its next request as soon as
                    // the previous one is answered speeds up while held back (a fallback costs less than a real
                    // answer), which makes the cumulative ratio controller admit faster than linearly.
                    long pace = Duration.ofMillis(4).toNanos();
                    long next = System.nanoTime();
                    int passedInARow = 0;
                    long deadline = trippedSeen + Duration.ofSeconds(20).toNanos();
                    while (passedInARow < 200 || System.nanoTime() - trippedSeen < Duration.ofSeconds(7).toNanos()) {
                        assertTrue(System.nanoTime() - deadline < 0, "no Standby within 20 s" + proxy.describeOutput());
                        next += pace;
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            java.util.concurrent.locks.LockSupport.parkNanos(wait); // pacing the load, not a sync
                        }
                        int status = client.get();
                        outcomes.add(new long[] {System.nanoTime() - trippedSeen, status});
                        passedInARow = status == 200 ? passedInARow + 1 : 0;
                        assertTrue(status == 200 || status == 503, "only the server's 200 or the fallback: " + status);
                    }
                }
                long passed = outcomes.stream().filter(o -> o[1] == 200).count();
                assertEquals(passed, backend.requests() - before,
                        "every request the server saw was answered to the client; the fallbacks touched nothing");

                long second = Duration.ofSeconds(1).toNanos();
                double tripped1 = share(outcomes, 0, second + second / 2);
                assertEquals(0.0, tripped1, "the first 1.5 s of the 2 s fallback: nothing passes");
                // Recovering starts about 2 s after the trip: four slices of 1 s, with a margin at each end.
                double[] slices = new double[4];
                for (int i = 0; i < 4; i++) {
                    long from = 2 * second + i * second + second / 10;
                    slices[i] = share(outcomes, from, from + second - second / 5);
                }
                Report.line("breaker recovery: admitted share per second of a 4 s ramp: "
                        + java.util.Arrays.toString(slices) + " (" + outcomes.size() + " requests)");
                String shares = java.util.Arrays.toString(slices) + " from the timeline" + runs(outcomes);
                // At a constant rate the shares are about 12, 37, 62 and 87 %.
                assertTrue(slices[0] < 0.3, "the ramp starts low: " + shares);
                assertTrue(slices[3] > 0.7, "and ends high: " + shares);
                for (int i = 1; i < 4; i++) {
                    assertTrue(slices[i] > slices[i - 1], "the admitted share grows slice by slice: " + shares);
                }
                assertEquals(1.0, share(outcomes, 6 * second + 3 * second / 10, Long.MAX_VALUE),
                        "Standby after the 4 s ramp: every request passes");
                Poll.untilTrue(TRIP_TIMEOUT, "the return to Standby to be logged", proxy,
                        () -> proxy.output().contains("Circuit breaker of backend site back to standby"));
                String out = proxy.output();
                assertTrue(out.contains("Circuit breaker of backend site tripped: `ResponseCodeRatio(500, 600, 0, 600) "
                        + "> 0.5` is true"), proxy.describeOutput());
                assertTrue(out.contains("Circuit breaker of backend site recovering after 2s tripped"), out);
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("back to standby after 4s of recovery "
                        + "\\((\\d+) admitted, (\\d+) given the fallback\\)").matcher(out);
                assertTrue(m.find(), out);
                long rampRequests = Long.parseLong(m.group(1)) + Long.parseLong(m.group(2));
                long sentAfterTheFallback = outcomes.stream().filter(o -> o[0] > 3 * second / 2).count();
                assertTrue(rampRequests <= sentAfterTheFallback, "the breaker counted " + rampRequests
                        + " requests in its ramp, the test sent " + sentAfterTheFallback + " from 1.5 s on");
                proxy.terminate();
            }
        }
    }

    @Test
    void backendStillFailingWhileRecoveringTripsAgainAndTheServerOnlySeesTheAdmittedShare() throws IOException {
        try (TestBackend backend = TestBackend.start("failing").answerWith(500)) {
            int port = TestBackend.freePort();
            Path file = ConfigFile.write("retrip.toml", config(port, backend.url(), """
                    expression = "ResponseCodeRatio(500, 600, 0, 600) > 0.5"
                    fallbackDuration = "1s"
                    recoveryDuration = "10s"
                    checkPeriod = "20ms"
                    """));
            try (SwitchboardProcess proxy = start(file)) {
                proxy.awaitResponse(port, HOST, "/", 500, START_TIMEOUT);
                awaitStatus(proxy, port, 503, "the first trip");
                int before = backend.requests();
                int admitted = 0;
                try (KeepAlive client = new KeepAlive(port)) {
                    long deadline = System.nanoTime() + TRIP_TIMEOUT.toNanos();
                    while (!proxy.output().contains("tripped again while recovering")) {
                        assertTrue(System.nanoTime() - deadline < 0, "no second trip" + proxy.describeOutput());
                        int status = client.get();
                        assertTrue(status == 500 || status == 503, "the server's 500 or the fallback: " + status);
                        admitted += status == 500 ? 1 : 0;
                    }
                    for (int i = 0; i < 20; i++) {
                        assertEquals(503, client.get(), "Tripped again: the fallback");
                    }
                }
                assertTrue(admitted >= 1, "Recovering admitted some requests before tripping again");
                assertEquals(admitted, backend.requests() - before, "the server saw exactly the admitted requests");
                assertTrue(proxy.output().contains("Circuit breaker of backend site recovering after 1s tripped"),
                        proxy.describeOutput());
                proxy.terminate();
            }
        }
    }

    /**
     * The one test at the defaults (about 22 s): Traefik v1's timings, which users of its expressions rely on. Tripped
     * for 10 s, then a 10 s ramp, then Standby; the server sees only what the ramp admits.
     */
    @Test
    void atTheDefaultsTheBreakerStaysTrippedTenSecondsThenRampsForTenSecondsAsInTraefikV1() throws IOException {
        try (TestBackend backend = TestBackend.start("failing").answerWith(500)) {
            int port = TestBackend.freePort();
            Path file = ConfigFile.write("defaults.toml", config(port, backend.url(), """
                    expression = "ResponseCodeRatio(500, 600, 0, 600) > 0.5"
                    """));
            try (SwitchboardProcess proxy = start(file)) {
                proxy.awaitResponse(port, HOST, "/", 500, START_TIMEOUT);
                awaitStatus(proxy, port, 503, "the breaker to trip (checked every 100 ms)");
                long trippedSeen = System.nanoTime();
                backend.answerWith(200);
                int before = backend.requests();
                long second = Duration.ofSeconds(1).toNanos();
                List<long[]> outcomes = new ArrayList<>();
                try (KeepAlive client = new KeepAlive(port)) {
                    long pace = Duration.ofMillis(10).toNanos(); // a constant rate (see the 4 s ramp test)
                    long next = System.nanoTime();
                    while (System.nanoTime() - trippedSeen < 21 * second) {
                        next += pace;
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            java.util.concurrent.locks.LockSupport.parkNanos(wait); // pacing the load, not a sync
                        }
                        outcomes.add(new long[] {System.nanoTime() - trippedSeen, client.get()});
                    }
                }
                long passed = outcomes.stream().filter(o -> o[1] == 200).count();
                assertEquals(passed, backend.requests() - before, "the fallbacks touched nothing");
                assertEquals(0.0, share(outcomes, 0, 9 * second + second / 2), "Tripped for 10 s");
                double early = share(outcomes, 10 * second + second / 2, 13 * second);
                double late = share(outcomes, 17 * second, 19 * second + second / 2);
                assertTrue(early < 0.35 && late > 0.65 && early < late, "a 10 s ramp: " + early + " then " + late);
                assertEquals(1.0, share(outcomes, 20 * second + second / 4, Long.MAX_VALUE), "Standby after 20 s");
                String out = proxy.output();
                assertTrue(out.contains("clients get status 503 for 10s"), out);
                assertTrue(out.contains("recovering after 10s tripped: admitting a share of requests that ramps from 0 "
                        + "to 100% over 10s"), out);
                Poll.untilTrue(TRIP_TIMEOUT, "Standby to be logged", proxy,
                        () -> proxy.output().contains("back to standby after 10s of recovery"));
                proxy.terminate();
            }
        }
    }

    /** The share of 200s among the outcomes in [from, to) nanoseconds after the trip was seen. */
    private static double share(List<long[]> outcomes, long from, long to) {
        long all = 0;
        long passed = 0;
        for (long[] o : outcomes) {
            if (o[0] >= from && o[0] < to) {
                all++;
                passed += o[1] == 200 ? 1 : 0;
            }
        }
        assertTrue(all >= 10, "too few requests between " + from / 1_000_000 + " and " + to / 1_000_000 + " ms: " + all);
        return (double) passed / all;
    }

    /** The outcomes as runs: "+120ms 503x14 | +160ms 200x3 | ...", for failure messages. */
    private static String runs(List<long[]> outcomes) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < outcomes.size(); ) {
            int j = i;
            while (j < outcomes.size() && outcomes.get(j)[1] == outcomes.get(i)[1]) {
                j++;
            }
            b.append(" | +").append(outcomes.get(i)[0] / 1_000_000).append("ms ").append(outcomes.get(i)[1])
                    .append('x').append(j - i).append(" to +").append(outcomes.get(j - 1)[0] / 1_000_000)
                    .append("ms");
            i = j;
        }
        return b.toString();
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            n++;
        }
        return n;
    }

    /** Requests on one keep-alive connection, opened again if the proxy closes it. */
    static final class KeepAlive implements AutoCloseable {
        private final int port;
        private HttpConnection connection;

        KeepAlive(int port) {
            this.port = port;
        }

        int get() throws IOException {
            if (connection == null) {
                connection = HttpConnection.open(port);
            }
            HttpConnection.Response r;
            try {
                r = connection.send("GET", "/", Map.of("Host", HOST), null);
            } catch (IOException e) {
                Report.line("keep-alive connection failed, once more on a new one: " + e);
                connection.close(); // closed between two requests: once more on a fresh connection
                connection = HttpConnection.open(port);
                r = connection.send("GET", "/", Map.of("Host", HOST), null);
            }
            if ("close".equalsIgnoreCase(r.header("Connection"))) {
                connection.close();
                connection = null;
            }
            return r.status();
        }

        @Override
        public void close() throws IOException {
            if (connection != null) {
                connection.close();
            }
        }
    }
}
