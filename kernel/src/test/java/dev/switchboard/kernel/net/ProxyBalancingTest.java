package dev.switchboard.kernel.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.kernel.balance.BackendBalancing;
import dev.switchboard.kernel.balance.ConnectionLimiter;
import dev.switchboard.kernel.balance.StickyCookie;
import dev.switchboard.kernel.routing.BackendRoute;
import dev.switchboard.kernel.routing.Upstream;
import dev.switchboard.spi.http.RequestView;
import dev.switchboard.spi.model.LoadBalancer;
import dev.switchboard.spi.model.MaxConn;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The kernel's balancing hooks in the exchange: maxConn permits, retries and the sticky cookie, over real sockets. */
class ProxyBalancingTest {

    /** Round robin over its servers with the given balancing features; records the outcomes' statuses. */
    static final class Backend implements BackendRoute {
        final List<Upstream> servers;
        final BackendBalancing balancing;
        final AtomicInteger next = new AtomicInteger();
        final List<Integer> statuses = new CopyOnWriteArrayList<>();

        Backend(BackendBalancing balancing, Upstream... servers) {
            this.servers = List.of(servers);
            this.balancing = balancing;
        }

        @Override
        public String name() {
            return "b";
        }

        @Override
        public Upstream pick(RequestView request) {
            return servers.get(Math.floorMod(next.getAndIncrement(), servers.size()));
        }

        @Override
        public void record(Upstream upstream, int status, long latencyNanos) {
            statuses.add(status);
        }

        @Override
        public BackendBalancing balancing() {
            return balancing;
        }
    }

    static Upstream refusing(String name) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String authority = "127.0.0.1:" + port;
        return new Upstream(new dev.switchboard.spi.model.Server(name, URI.create("http://" + authority), 1,
                dev.switchboard.spi.model.Origin.UNKNOWN), new InetSocketAddress("127.0.0.1", port), authority,
                "http://" + authority);
    }

    static ConnectionLimiter oneAtATime() {
        return ConnectionLimiter.of(new MaxConn(1, "client.ip"));
    }

    @Test
    void maxConnPermitOfAClientThatAbortsMidBodyIsReleased() throws Exception {
        ConnectionLimiter limiter = oneAtATime();
        try (TestBackend a = new TestBackend("a"); ProxyHarness p = new ProxyHarness()) {
            Backend b = new Backend(new BackendBalancing(null, limiter, 1, null), a.upstream());
            p.router.add(null, "/", StubRouter.frontend("f", b));
            try (TestClient c = p.client()) {
                c.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nten bytes.");
                ProxyHarness.await("the first request to reach the server", () -> a.accepts.get() == 1);
                try (TestClient other = p.client()) {
                    TestClient.Response r = other.get("/", "x");
                    assertEquals(429, r.status(), "the first request holds the only permit");
                    assertEquals("max connections reached: 1", r.bodyText());
                }
            } // the client goes away with 90 bytes of its body unsent
            ProxyHarness.await("the aborted exchange's permit to be released", () -> {
                try (TestClient c = p.client()) {
                    return c.get("/", "x").status() == 200;
                } catch (IOException e) {
                    return false;
                }
            });
        }
    }

    @Test
    void maxConnPermitIsReleasedAfterAProxyMadeError() throws Exception {
        ConnectionLimiter limiter = oneAtATime();
        try (ProxyHarness p = new ProxyHarness()) {
            Backend b = new Backend(new BackendBalancing(null, limiter, 1, null), refusing("gone"));
            p.router.add(null, "/", StubRouter.frontend("f", b));
            try (TestClient c = p.client()) {
                for (int i = 0; i < 5; i++) {
                    assertEquals(502, c.get("/", "x").status(), "request " + i + " is refused by the server, not"
                            + " limited by a leaked permit");
                }
            }
        }
    }

    @Test
    void connectionRefusedIsRetriedOnTheNextServerWithTheBodyIntact() throws Exception {
        try (TestBackend live = new TestBackend("live"); ProxyHarness p = new ProxyHarness()) {
            Backend b = new Backend(new BackendBalancing(null, null, 2, null), refusing("dead"), live.upstream());
            p.router.add(null, "/", StubRouter.frontend("f", b));
            try (TestClient c = p.client()) {
                c.send("POST /r HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
                assertEquals(200, c.read().status());
                assertEquals("hello", live.take().bodyText());
            }
            assertEquals(List.of(200), b.statuses, "one outcome per client request, the final one");
        }
    }

    @Test
    void withoutRetryARefusedConnectionIs502() throws Exception {
        try (TestBackend live = new TestBackend("live"); ProxyHarness p = new ProxyHarness()) {
            Backend b = new Backend(BackendBalancing.NONE, refusing("dead"), live.upstream());
            p.router.add(null, "/", StubRouter.frontend("f", b));
            try (TestClient c = p.client()) {
                assertEquals(502, c.get("/", "x").status());
            }
            assertEquals(0, live.received.size());
        }
    }

    @Test
    void requestThatReachedAServerIsNeverRetriedEvenIfItDiesBeforeAnswering() throws Exception {
        TestBackend.Handler silent = (req, out, s) -> false; // reads the request, closes without a word
        try (TestBackend mute = new TestBackend("mute", silent); TestBackend live = new TestBackend("live");
             ProxyHarness p = new ProxyHarness()) {
            Backend b = new Backend(new BackendBalancing(null, null, 2, null), mute.upstream(), live.upstream());
            p.router.add(null, "/", StubRouter.frontend("f", b));
            try (TestClient c = p.client()) {
                c.send("POST /pay HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\n100");
                assertEquals(502, c.read().status());
            }
            assertEquals(1, mute.received.size());
            assertEquals(0, live.received.size(), "the request may have been acted on: never sent twice");
        }
    }

    @Test
    void retriedStickyRequestGetsTheCookieOfTheServerThatAnswered() throws Exception {
        try (TestBackend live = new TestBackend("live"); ProxyHarness p = new ProxyHarness()) {
            Upstream dead = refusing("dead");
            List<Upstream> both = List.of(dead, live.upstream());
            StickyCookie sticky = StickyCookie.of("b", new LoadBalancer("wrr", false,
                    new LoadBalancer.Stickiness("pin", false, false, null), Map.of()), both);
            Backend b = new Backend(new BackendBalancing(sticky, null, 2, null), dead, both.get(1));
            p.router.add(null, "/", StubRouter.frontend("f", b));
            String deadPin = sticky.setCookie(dead);
            try (TestClient c = p.client()) {
                c.send("GET / HTTP/1.1\r\nHost: x\r\nCookie: " + deadPin.substring(0, deadPin.indexOf(';'))
                        + "\r\n\r\n");
                TestClient.Response r = c.read();
                assertEquals(200, r.status());
                assertEquals(sticky.setCookie(both.get(1)), r.header("Set-Cookie"),
                        "the cookie now names the server that answered");
                String livePin = r.header("Set-Cookie").substring(0, r.header("Set-Cookie").indexOf(';'));
                TestClient.Response again = c.get("/", "x"); // no cookie: balanced, cookie set
                assertTrue(again.header("Set-Cookie") != null);
                c.send("GET / HTTP/1.1\r\nHost: x\r\nCookie: a=1; " + livePin + "\r\n\r\n");
                TestClient.Response stuck = c.read();
                assertEquals(200, stuck.status());
                assertNull(stuck.header("Set-Cookie"), "a request sent where its cookie says gets no new cookie");
            }
        }
    }
}
