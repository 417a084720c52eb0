package dev.switchboard.kernel.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Expect: 100-continue, trailers, pipelining, interim responses and the Upgrade tunnel, over real sockets. */
class ProxyProtocolTest {

    @Test
    void expectContinueGetsTheServers100BeforeTheBodyIsSent() throws Exception {
        try (TestBackend a = new TestBackend("a"); ProxyHarness p = new ProxyHarness(); TestClient c = p.client()) {
            p.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("ba", a.upstream())));
            c.send("PUT /file HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            TestClient.Response interim = c.readOne("PUT");
            assertEquals(100, interim.status(), "the client waits for this before sending its body");
            c.send("12345");
            TestClient.Response r = c.read("PUT");
            assertEquals(200, r.status());
            assertEquals("12345", a.take().bodyText());
        }
    }

    @Test
    void expectContinueToAnUnroutedRequestGetsTheFinalStatusWithoutReadingTheBody() throws Exception {
        try (ProxyHarness p = new ProxyHarness(); TestClient c = p.client()) {
            c.send("PUT /nowhere HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            TestClient.Response r = c.readOne("PUT");
            assertEquals(404, r.status());
            assertEquals("close", r.header("Connection"), "the unread body makes the connection unusable");
        }
    }

    @Test
    void responseTrailersReachTheClient() throws Exception {
        TestBackend.Handler withTrailers = (req, out, s) -> {
            out.write(("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Checksum\r\n\r\n"
                    + "4\r\ndata\r\n0\r\nX-Checksum: abc\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            return true;
        };
        try (TestBackend a = new TestBackend("a", withTrailers); ProxyHarness p = new ProxyHarness();
             TestClient c = p.client()) {
            p.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("ba", a.upstream())));
            TestClient.Response r = c.get("/", "x");
            assertEquals("data", r.bodyText());
            assertEquals("X-Checksum", r.header("Trailer"));
            assertEquals("abc", r.header("trailer:X-Checksum"));
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (TestBackend a = new TestBackend("a"); ProxyHarness p = new ProxyHarness(); TestClient c = p.client()) {
            p.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("ba", a.upstream())));
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                if (i % 3 == 1) {
                    all.append("POST /p").append(i).append(" HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nbody");
                } else if (i % 3 == 2) {
                    all.append("HEAD /p").append(i).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
                } else {
                    all.append("GET /p").append(i).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
                }
            }
            c.send(all.toString());
            for (int i = 0; i < 10; i++) {
                String method = i % 3 == 2 ? "HEAD" : "GET";
                TestClient.Response r = c.read(method);
                assertEquals(200, r.status());
                if (!method.equals("HEAD")) {
                    assertTrue(r.bodyText().contains(" /p" + i + " HTTP/1.1"), i + ": " + r.bodyText());
                }
            }
            assertEquals(10, a.received.size());
        }
    }

    @Test
    void earlyHintsAreForwardedBeforeTheFinalResponse() throws Exception {
        TestBackend.Handler hints = (req, out, s) -> {
            out.write("HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            TestBackend.writeResponse(out, 200, "OK", "final".getBytes(StandardCharsets.ISO_8859_1));
            return true;
        };
        try (TestBackend a = new TestBackend("a", hints); ProxyHarness p = new ProxyHarness();
             TestClient c = p.client()) {
            p.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("ba", a.upstream())));
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            TestClient.Response first = c.readOne("GET");
            assertEquals(103, first.status());
            assertEquals("</style.css>; rel=preload", first.header("Link"));
            assertEquals("final", c.read().bodyText());
        }
    }

    /** Answers an upgrade with 101, then echoes bytes until the proxy closes its side. */
    private static final TestBackend.Handler UPGRADE_ECHO = (req, out, s) -> {
        if (req.header("Upgrade") == null) {
            TestBackend.writeResponse(out, 400, "Bad Request", new byte[0]);
            return false;
        }
        String accept = req.header("Sec-WebSocket-Key") + "-accepted";
        out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
            out.flush();
        }
        s.shutdownOutput();
        return false;
    };

    @Test
    void upgradeTurnsTheConnectionIntoATunnelBothWays() throws Exception {
        try (TestBackend a = new TestBackend("ws", UPGRADE_ECHO); ProxyHarness p = new ProxyHarness();
             TestClient c = p.client()) {
            p.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("bw", a.upstream())));
            c.send("GET /chat HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, Upgrade\r\nUpgrade: websocket\r\n"
                    + "Sec-WebSocket-Key: k1\r\nSec-WebSocket-Version: 13\r\n\r\n");
            TestClient.Response r = c.read();
            assertEquals(101, r.status());
            assertEquals("websocket", r.header("Upgrade"));
            assertEquals("Upgrade", r.header("Connection"));
            assertEquals("k1-accepted", r.header("Sec-WebSocket-Accept"));
            TestBackend.Received got = a.take();
            assertEquals("Upgrade", got.header("Connection"));
            assertEquals("websocket", got.header("Upgrade"));
            assertEquals("ws", got.header("X-Forwarded-Proto"));

            byte[] payload = new byte[200_000];
            new Random(3).nextBytes(payload);
            OutputStream out = c.socket.getOutputStream();
            InputStream in = c.socket.getInputStream();
            Thread writer = new Thread(() -> {
                try {
                    out.write(payload);
                    out.flush();
                    c.socket.shutdownOutput();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            writer.start();
            byte[] echoed = in.readAllBytes(); // until the server's half-close comes through the tunnel
            writer.join(10_000);
            assertArrayEquals(payload, echoed);
        }
    }

    @Test
    void switchingProtocolsWithoutAnUpgradeRequestIsRejectedWith502() throws Exception {
        TestBackend.Handler rogue = (req, out, s) -> {
            out.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            return false;
        };
        try (TestBackend a = new TestBackend("a", rogue); ProxyHarness p = new ProxyHarness();
             TestClient c = p.client()) {
            p.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("ba", a.upstream())));
            assertEquals(502, c.get("/", "x").status());
        }
    }

    @Test
    void upgradeHeaderWithoutTheConnectionOptionIsNotForwarded() throws Exception {
        try (TestBackend a = new TestBackend("a"); ProxyHarness p = new ProxyHarness(); TestClient c = p.client()) {
            p.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("ba", a.upstream())));
            c.send("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n\r\n");
            assertEquals(200, c.read().status());
            assertNull(a.take().header("Upgrade"));
        }
    }

    @Test
    void largeUploadAndDownloadKeepTheirChecksums() throws Exception {
        TestBackend.Handler digest = (req, out, s) -> {
            try {
                byte[] sum = MessageDigest.getInstance("SHA-256").digest(req.body());
                StringBuilder hex = new StringBuilder();
                for (byte b : sum) {
                    hex.append(String.format("%02x", b));
                }
                TestBackend.writeResponse(out, 200, "OK", req.body(), "X-Sha256: " + hex);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IOException(e);
            }
            return true;
        };
        byte[] body = new byte[6 * 1024 * 1024];
        new Random(11).nextBytes(body);
        try (TestBackend a = new TestBackend("a", digest); ProxyHarness p = new ProxyHarness();
             TestClient c = p.client()) {
            p.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("ba", a.upstream())));
            Thread upload = new Thread(() -> {
                try {
                    c.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
                    for (int off = 0; off < body.length; off += 100_000) {
                        int n = Math.min(100_000, body.length - off);
                        c.send((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        c.send(java.util.Arrays.copyOfRange(body, off, off + n));
                        c.send("\r\n");
                    }
                    c.send("0\r\n\r\n");
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            upload.start();
            TestClient.Response r = c.read();
            upload.join(30_000);
            assertArrayEquals(body, r.body());
            byte[] sum = MessageDigest.getInstance("SHA-256").digest(body);
            StringBuilder hex = new StringBuilder();
            for (byte b : sum) {
                hex.append(String.format("%02x", b));
            }
            assertEquals(hex.toString(), r.header("X-Sha256"));
        }
    }
}
