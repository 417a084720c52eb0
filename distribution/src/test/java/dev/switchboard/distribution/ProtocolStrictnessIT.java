package dev.switchboard.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 9112's rules end to end through the launcher: every malformed request of the kernel's table (request line,
 * fields, framing, smuggling obfuscations) gets its status from the real distribution, its connection is closed,
 * the server behind sees nothing of it, and the proxy answers the next client; and bodies that look like requests
 * reach the server as the bodies they are, with the request after them answered as its own.
 */
class ProtocolStrictnessIT {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final int READ_TIMEOUT_MS = 10_000;

    private static TestBackend backend;
    private static SwitchboardProcess proxy;
    private static int port;

    @BeforeAll
    static void start() throws IOException {
        backend = TestBackend.start("strict");
        port = TestBackend.freePort();
        Path config = ConfigFile.write("strict.toml", """
                logLevel = "INFO"
                defaultEntryPoints = ["http"]

                [entryPoints]
                  [entryPoints.http]
                  address = "127.0.0.1:%d"

                [file]

                [frontends]
                  [frontends.all]
                  backend = "strict"
                    [frontends.all.routes.all]
                    rule = "PathPrefix:/"

                [backends]
                  [backends.strict.servers.one]
                  url = "%s"
                """.formatted(port, backend.url()));
        proxy = SwitchboardProcess.of(Distribution.shared()).start("-c", config.toString());
        proxy.awaitResponse(port, "x", "/ready", 200, START_TIMEOUT);
    }

    @AfterAll
    static void stop() {
        try {
            if (proxy != null) {
                proxy.terminate();
            }
        } finally {
            if (proxy != null) {
                proxy.close();
            }
            if (backend != null) {
                backend.close();
            }
        }
    }

    /** One raw response: status, Connection field, body. */
    private record Response(int status, String connection, String body) {
    }

    /** A raw client: bytes exactly as given, responses read by Content-Length. */
    private static final class RawClient implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;

        RawClient() throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(READ_TIMEOUT_MS);
            in = socket.getInputStream();
        }

        void send(String raw) throws IOException {
            socket.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
        }

        Response read() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("closed before a complete response head: " + head);
                }
                head.write(b);
            }
            String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            int length = 0;
            String connection = null;
            for (String line : lines) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                } else if (lower.startsWith("connection:")) {
                    connection = line.substring(11).trim();
                }
            }
            byte[] body = in.readNBytes(length);
            return new Response(status, connection, new String(body, StandardCharsets.ISO_8859_1));
        }

        /** Whether the proxy closed the connection (end of stream) before the read timeout. */
        boolean closedByPeer() throws IOException {
            try {
                return in.read() < 0;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true; // reset: closed too
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static void proxyStillServes() throws IOException {
        try (RawClient c = new RawClient()) {
            c.send("GET /still-serving HTTP/1.1\r\nHost: x\r\n\r\n");
            Response r = c.read();
            assertEquals(200, r.status(), "the proxy answers the next client");
            assertTrue(r.body().contains("GET /still-serving"), r.body());
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("dev.switchboard.kernel.net.MalformedRequests#cases")
    void malformedRequestGetsItsStatusAndItsConnectionIsClosed(String name, int status, String request)
            throws IOException {
        int before = backend.requests();
        try (RawClient c = new RawClient()) {
            c.send(request);
            Response r = c.read();
            assertEquals(status, r.status(), name);
            assertEquals("close", r.connection(), name);
            assertTrue(c.closedByPeer(), "connection closed after " + name);
        }
        assertEquals(before, backend.requests(), "the server saw nothing of: " + name);
        proxyStillServes();
    }

    @Test
    void chunkedBodyThatLooksLikeASecondRequestReachesTheServerAsOneBody() throws IOException {
        String inner = "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
        int before = backend.requests();
        try (RawClient c = new RawClient()) {
            c.send("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(inner.length()) + "\r\n" + inner + "\r\n0\r\n\r\n");
            Response first = c.read();
            assertTrue(first.body().contains("POST /upload\n"), first.body());
            assertTrue(first.body().contains("body: " + inner.length() + " bytes"), first.body());
            c.send("GET /next HTTP/1.1\r\nHost: x\r\n\r\n");
            Response next = c.read();
            assertTrue(next.body().contains("GET /next\n"), "the next request gets its own answer: " + next.body());
        }
        assertEquals(before + 2, backend.requests(), "exactly the two requests the client meant");
    }

    @Test
    void requestPipelinedAfterAChunkedBodyIsAnsweredAsItsOwnRequest() throws IOException {
        int before = backend.requests();
        try (RawClient c = new RawClient()) {
            c.send("POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
                    + "GET /b HTTP/1.1\r\nHost: x\r\n\r\n");
            Response first = c.read();
            Response second = c.read();
            assertTrue(first.body().contains("POST /a\n") && first.body().contains("body: 3 bytes"), first.body());
            assertTrue(second.body().contains("GET /b\n"), second.body());
        }
        assertEquals(before + 2, backend.requests());
    }

    @Test
    void contentLengthBodyThatLooksLikeARequestIsOnlyABody() throws IOException {
        String body = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
        int before = backend.requests();
        try (RawClient c = new RawClient()) {
            c.send("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
            Response r = c.read();
            assertTrue(r.body().contains("POST /a\n") && r.body().contains("body: " + body.length() + " bytes"),
                    r.body());
            c.send("GET /after HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(c.read().body().contains("GET /after\n"));
        }
        assertEquals(before + 2, backend.requests());
    }
}
