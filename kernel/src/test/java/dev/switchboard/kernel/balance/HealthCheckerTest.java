package dev.switchboard.kernel.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.kernel.routing.Upstream;
import dev.switchboard.kernel.testing.Poll;
import dev.switchboard.spi.balance.Balancer;
import dev.switchboard.spi.http.RequestView;
import dev.switchboard.spi.model.HealthCheck;
import dev.switchboard.spi.model.Origin;
import dev.switchboard.spi.model.Server;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthCheckerTest {
    static final Duration WAIT = Duration.ofSeconds(10);

    /** A server whose /health answers the status currently set; it records what probes sent. */
    static final class Probed implements AutoCloseable {
        final HttpServer server;
        final AtomicInteger status = new AtomicInteger(200);
        final AtomicInteger probes = new AtomicInteger();
        final List<String> seen = new CopyOnWriteArrayList<>();

        Probed() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            server.createContext("/", ex -> {
                try (ex) {
                    probes.incrementAndGet();
                    seen.add(ex.getRequestURI() + " host=" + ex.getRequestHeaders().getFirst("Host") + " x="
                            + ex.getRequestHeaders().getFirst("X-Probe"));
                    ex.sendResponseHeaders(status.get(), -1);
                }
            });
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** Records availability as the checker reports it. */
    static final class RecordingBalancer implements Balancer {
        final Map<String, Boolean> available = new ConcurrentHashMap<>();
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public Server pick(RequestView request) {
            return null;
        }

        @Override
        public void setAvailable(Server server, boolean up) {
            Boolean before = available.put(server.name(), up);
            if (before == null || before != up) {
                calls.add(server.name() + "=" + up);
            }
        }

        boolean up(String name) {
            return available.getOrDefault(name, true);
        }
    }

    final HealthChecker checker = new HealthChecker(Duration.ofMillis(50));
    final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        checker.close();
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    static Upstream upstream(String name, int port) {
        Server s = new Server(name, URI.create("http://127.0.0.1:" + port), 1, Origin.UNKNOWN);
        return new Upstream(s, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), "127.0.0.1:" + port,
                "http://127.0.0.1:" + port);
    }

    static HealthCheck check(String path, int rise, int fall) {
        return new HealthCheck(path, null, Duration.ofSeconds(2), 0, null, null, Map.of(), rise, fall);
    }

    Probed probed() throws IOException {
        Probed p = new Probed();
        closing.add(p);
        return p;
    }

    BackendHealth adopt(String backend, HealthCheck check, RecordingBalancer balancer, Upstream... ups) {
        List<String> warnings = new ArrayList<>();
        BackendHealth h = checker.healthFor(backend, check, List.of(ups), warnings);
        List<Server> servers = new ArrayList<>();
        for (Upstream u : ups) {
            servers.add(u.server());
        }
        checker.adopt(List.of(new HealthChecker.Bound(backend, h, balancer, servers)));
        return h;
    }

    @Test
    void failingServerLeavesRotationAndReturnsWhenItPasses() throws IOException {
        Probed a = probed();
        Probed b = probed();
        RecordingBalancer balancer = new RecordingBalancer();
        BackendHealth h = adopt("web", check("/health", 1, 1), balancer, upstream("a", a.port()),
                upstream("b", b.port()));
        Poll.until(() -> a.probes.get() > 0 && b.probes.get() > 0, WAIT, "first probes");
        b.status.set(500);
        Poll.until(() -> !balancer.up("b") && !h.inRotation(1), WAIT, "b out of rotation");
        assertTrue(balancer.up("a") && h.inRotation(0));
        b.status.set(302); // 200-399 is healthy
        Poll.until(() -> balancer.up("b") && h.inRotation(1), WAIT, "b back in rotation");
        assertEquals(List.of("a=true", "b=true", "b=false", "b=true"), balancer.calls);
    }

    @Test
    void refusedConnectionIsAFailure() throws IOException {
        int dead;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = s.getLocalPort();
        }
        RecordingBalancer balancer = new RecordingBalancer();
        BackendHealth h = adopt("web", check("/health", 1, 1), balancer, upstream("gone", dead));
        Poll.until(() -> !balancer.up("gone") && !h.inRotation(0), WAIT, "gone out of rotation");
    }

    @Test
    void fallNeedsConsecutiveFailuresAndRiseConsecutiveSuccesses() throws IOException {
        Probed a = probed();
        RecordingBalancer balancer = new RecordingBalancer();
        BackendHealth h = adopt("web", check("/health", 3, 3), balancer, upstream("a", a.port()));
        a.status.set(503);
        int before = a.probes.get();
        Poll.until(() -> !h.inRotation(0), WAIT, "a out after failures");
        // fall = 3: at least three failures; one of them may have been counted just before `before` was read
        assertTrue(a.probes.get() - before >= 2, "probes while failing: " + (a.probes.get() - before));
        a.status.set(200);
        int failed = a.probes.get();
        Poll.until(() -> h.inRotation(0), WAIT, "a back after successes");
        assertTrue(a.probes.get() - failed >= 2, "probes while passing: " + (a.probes.get() - failed));
    }

    @Test
    void probeSendsPathQueryHostnameAndHeaders() throws IOException {
        Probed a = probed();
        HealthCheck c = new HealthCheck("/status?deep=1", null, null, 0, null, "health.internal",
                Map.of("X-Probe", "yes"), 1, 1);
        adopt("web", c, new RecordingBalancer(), upstream("a", a.port()));
        Poll.until(() -> !a.seen.isEmpty(), WAIT, "a probe");
        assertEquals("/status?deep=1 host=health.internal x=yes", a.seen.get(0));
    }

    @Test
    void portOverrideProbesAnotherPortThanTraffic() throws IOException {
        Probed health = probed();
        HealthCheck c = new HealthCheck("/h", null, null, health.port(), null, null, Map.of(), 1, 1);
        adopt("web", c, new RecordingBalancer(), upstream("a", 1));
        Poll.until(() -> !health.seen.isEmpty(), WAIT, "a probe on the health port");
        assertEquals("/h host=127.0.0.1:" + health.port() + " x=null", health.seen.get(0));
    }

    @Test
    void stateSurvivesAReloadAndRemovedBackendsStopBeingProbed() throws IOException {
        Probed a = probed();
        RecordingBalancer first = new RecordingBalancer();
        a.status.set(500);
        BackendHealth h1 = adopt("web", check("/health", 1, 1), first, upstream("a", a.port()));
        Poll.until(() -> !h1.inRotation(0), WAIT, "a out");

        RecordingBalancer second = new RecordingBalancer();
        BackendHealth h2 = adopt("web", check("/health", 1, 1), second, upstream("a", a.port()));
        assertSame(h1.server(0), h2.server(0));
        assertEquals(List.of("a=false"), second.calls, "the new generation's balancer learns a is out at once");

        checker.adopt(List.of());
        assertEquals(0, checker.probed());
        int probes = a.probes.get();
        // one probe may have been in flight when the backend went away; after it, none
        Poll.until(() -> a.probes.get() <= probes + 1, WAIT, "probes stop");
        assertNull(checker.healthFor("web", null, List.of(upstream("a", a.port())), new ArrayList<>()));
    }

    @Test
    void httpsProbesAreReportedAsNotBuiltAndLeaveServersInRotation() {
        List<String> warnings = new ArrayList<>();
        HealthCheck c = new HealthCheck("/h", null, null, 0, "https", null, Map.of(), 1, 1);
        assertNull(checker.healthFor("web", c, List.of(upstream("a", 1)), warnings));
        assertTrue(warnings.get(0).contains("not built yet"), warnings.toString());
    }

    @Test
    void targetResolvesPathAgainstServerUrlAsTraefik() {
        assertEquals("/health", HealthChecker.target(URI.create("http://10.0.0.1:80"), "/health"));
        assertEquals("/health", HealthChecker.target(URI.create("http://10.0.0.1:80"), "health"));
        assertEquals("/health?x=1", HealthChecker.target(URI.create("http://10.0.0.1"), "/health?x=1"));
        assertEquals("/app/health", HealthChecker.target(URI.create("http://10.0.0.1/app/"), "health"));
    }

    @Test
    void statusLineParsing() {
        assertEquals(204, HealthChecker.statusOf(bytes("HTTP/1.1 204 No Content\r\n")));
        assertEquals(-1, HealthChecker.statusOf(bytes("HTTP/1.1 20")));
        assertEquals(0, HealthChecker.statusOf(bytes("SSH-2.0-OpenSSH\r\n")));
    }

    static ByteBuffer bytes(String s) {
        ByteBuffer b = ByteBuffer.allocate(1024);
        b.put(s.getBytes(StandardCharsets.ISO_8859_1));
        return b;
    }
}
