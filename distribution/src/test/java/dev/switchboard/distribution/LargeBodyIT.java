package dev.switchboard.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 1 GiB bodies streamed both ways through a proxy whose heap is capped at 64 MiB: a body can only get through if
 * the proxy streams it. A raw-socket server on loopback writes (GET) or reads (POST) the body and computes its
 * SHA-256 as it goes; the test client hashes its side; the two digests must be equal, and the proxy must still be
 * alive and answering afterwards.
 */
@Timeout(600)
class LargeBodyIT {
    private static final long SIZE = 1L << 30;
    private static final int BLOCK = 64 * 1024;
    /** Deadline of one transfer; loopback moves 1 GiB in a few seconds. */
    private static final Duration TRANSFER_DEADLINE = Duration.ofSeconds(60);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private static RawBackend backend;
    private static SwitchboardProcess proxy;
    private static int port;

    @BeforeAll
    static void startProxyAndBackend() throws IOException {
        backend = new RawBackend();
        port = TestBackend.freePort();
        Path config = ConfigFile.write("large.toml", """
                logLevel = "INFO"
                defaultEntryPoints = ["http"]

                [entryPoints]
                  [entryPoints.http]
                  address = "127.0.0.1:%d"

                [file]

                [frontends]
                  [frontends.large]
                  backend = "large"
                    [frontends.large.routes.host]
                    rule = "Host:large.test"

                [backends]
                  [backends.large.servers.one]
                  url = "http://127.0.0.1:%d"
                """.formatted(port, backend.port()));
        proxy = SwitchboardProcess.of(Distribution.shared())
                .env("JAVA_OPTS", "-Xmx64m")
                .start("-c", config.toString());
        proxy.awaitResponse(port, "large.test", "/small", 200, START_TIMEOUT);
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

    @AfterEach
    void proxyStillAnswers() {
        assertTrue(proxy.isAlive(), "the proxy must survive a 1 GiB transfer" + proxy.describeOutput());
        HttpConnection.Response response = proxy.awaitResponse(port, "large.test", "/small", 200,
                Duration.ofSeconds(10));
        assertTrue(response.text().contains("small"), "small request after the transfer: " + response);
    }

    @Test
    void downloadWithContentLength() throws IOException {
        download("/download/length", false);
    }

    @Test
    void downloadChunked() throws IOException {
        download("/download/chunked", true);
    }

    @Test
    void uploadWithContentLength() throws IOException {
        upload(false);
    }

    @Test
    void uploadChunked() throws IOException {
        upload(true);
    }

    private static void download(String target, boolean chunked) throws IOException {
        long started = System.nanoTime();
        long deadline = started + TRANSFER_DEADLINE.toNanos();
        MessageDigest digest = sha256();
        long received;
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: large.test\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream(), BLOCK);
            Head head = Head.read(in);
            assertEquals(200, head.status, "download status: " + head);
            if (chunked) {
                assertEquals("chunked", head.fields.get("transfer-encoding"), "chunked framing kept: " + head);
                received = readChunked(in, digest, deadline);
            } else {
                assertEquals(Long.toString(SIZE), head.fields.get("content-length"), "length kept: " + head);
                received = readExactly(in, SIZE, digest, deadline);
            }
        }
        String clientDigest = HexFormat.of().formatHex(digest.digest());
        assertEquals(SIZE, received, "bytes received");
        String serverDigest;
        try {
            // the server finishes its digest just after the last byte is written: wait for it, bounded
            serverDigest = backend.sentDigests.poll(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        assertEquals(serverDigest, clientDigest, "SHA-256 of the body the server sent and the client received");
        report("download 1 GiB (" + (chunked ? "chunked" : "Content-Length") + ")", started);
    }

    private static void upload(boolean chunked) throws IOException {
        long started = System.nanoTime();
        long deadline = started + TRANSFER_DEADLINE.toNanos();
        MessageDigest digest = sha256();
        String answer;
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            String framing = chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + SIZE + "\r\n";
            out.write(("POST /upload HTTP/1.1\r\nHost: large.test\r\n" + framing + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            Body body = new Body();
            byte[] block = new byte[BLOCK];
            for (long sent = 0; sent < SIZE; sent += BLOCK) {
                checkDeadline(deadline, "upload");
                body.fill(block, sent);
                digest.update(block);
                if (chunked) {
                    out.write((Integer.toHexString(BLOCK) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(block);
                    out.write(CRLF);
                } else {
                    out.write(block);
                }
            }
            if (chunked) {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            Head head = Head.read(in);
            assertEquals(200, head.status, "upload status: " + head);
            int length = Integer.parseInt(head.fields.get("content-length"));
            answer = new String(in.readNBytes(length), StandardCharsets.US_ASCII);
        }
        String clientDigest = HexFormat.of().formatHex(digest.digest());
        assertEquals(clientDigest + " " + SIZE, answer.trim(),
                "SHA-256 and size of the body the client sent and the server received");
        report("upload 1 GiB (" + (chunked ? "chunked" : "Content-Length") + ")", started);
    }

    private static void report(String what, long startedNanos) {
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        Report.line(String.format(Locale.ROOT, "%s through -Xmx64m proxy: %.1f s, %.0f MiB/s, SHA-256 equal",
                what, seconds, SIZE / 1048576.0 / seconds));
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
        socket.setSoTimeout((int) TRANSFER_DEADLINE.toMillis());
        return socket;
    }

    private static void checkDeadline(long deadlineNanos, String what) {
        if (System.nanoTime() - deadlineNanos > 0) {
            throw new AssertionError(what + " did not finish within " + TRANSFER_DEADLINE.toSeconds() + " s");
        }
    }

    private static final byte[] CRLF = {'\r', '\n'};

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deterministic content: a fixed pseudo-random block with its offset stamped at its start, so no two differ. */
    private static final class Body {
        private static final byte[] PATTERN = new byte[BLOCK];

        static {
            new java.util.Random(20261127L).nextBytes(PATTERN);
        }

        void fill(byte[] block, long offset) {
            System.arraycopy(PATTERN, 0, block, 0, BLOCK);
            for (int i = 0; i < 8; i++) {
                block[i] = (byte) (offset >>> (8 * i));
            }
        }
    }

    private static long readExactly(InputStream in, long length, MessageDigest digest, long deadline)
            throws IOException {
        byte[] buffer = new byte[BLOCK];
        long read = 0;
        while (read < length) {
            checkDeadline(deadline, "read");
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, length - read));
            if (n < 0) {
                throw new EOFException("body ended after " + read + " of " + length + " bytes");
            }
            digest.update(buffer, 0, n);
            read += n;
        }
        return read;
    }

    /** Decodes a chunked body (trailers skipped), hashing its data; returns the data size. */
    private static long readChunked(InputStream in, MessageDigest digest, long deadline) throws IOException {
        long total = 0;
        while (true) {
            String line = readLine(in);
            int semicolon = line.indexOf(';');
            long size = Long.parseLong((semicolon < 0 ? line : line.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                while (!readLine(in).isEmpty()) {
                    // trailer field
                }
                return total;
            }
            total += readExactly(in, size, digest, deadline);
            String end = readLine(in);
            if (!end.isEmpty()) {
                throw new IOException("chunk not followed by CRLF: '" + end + "'");
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException("connection closed in a line: '" + line + "'");
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.US_ASCII);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    /** A message head: status (responses) or request line, and fields with lower-case names. */
    private static final class Head {
        String firstLine;
        int status;
        final Map<String, String> fields = new TreeMap<>();

        static Head read(InputStream in) throws IOException {
            Head head = new Head();
            head.firstLine = readLine(in);
            String[] parts = head.firstLine.split(" ", 3);
            if (parts.length > 1 && parts[0].startsWith("HTTP/")) {
                head.status = Integer.parseInt(parts[1]);
            }
            for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                int colon = line.indexOf(':');
                head.fields.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).trim());
            }
            return head;
        }

        @Override
        public String toString() {
            return firstLine + " " + fields;
        }
    }

    /**
     * A raw-socket HTTP/1.1 server: {@code GET /download/length} and {@code /download/chunked} answer 1 GiB of
     * {@link Body} (its SHA-256 kept in {@link #sentDigests}); {@code POST /upload} reads the body (either framing)
     * and answers its SHA-256 and size; anything else answers {@code small}. One thread per connection, keep-alive.
     */
    private static final class RawBackend implements AutoCloseable {
        private final ServerSocket server;
        private final Thread acceptor;
        final BlockingQueue<String> sentDigests = new LinkedBlockingQueue<>();

        RawBackend() throws IOException {
            server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
            acceptor = new Thread(this::acceptLoop, "large-body-backend");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void acceptLoop() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Thread thread = new Thread(() -> serve(socket), "large-body-connection");
                    thread.setDaemon(true);
                    thread.start();
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private void serve(Socket socket) {
            try (socket) {
                socket.setSoTimeout((int) TRANSFER_DEADLINE.toMillis());
                InputStream in = new BufferedInputStream(socket.getInputStream(), BLOCK);
                OutputStream out = socket.getOutputStream();
                while (true) {
                    Head request;
                    try {
                        request = Head.read(in);
                    } catch (EOFException e) {
                        return; // the proxy closed an idle connection
                    }
                    String target = request.firstLine.split(" ")[1];
                    long deadline = System.nanoTime() + TRANSFER_DEADLINE.toNanos();
                    if (request.firstLine.startsWith("POST ")) {
                        MessageDigest digest = sha256();
                        long size = "chunked".equals(request.fields.get("transfer-encoding"))
                                ? readChunked(in, digest, deadline)
                                : readExactly(in, Long.parseLong(request.fields.get("content-length")), digest,
                                        deadline);
                        answer(out, HexFormat.of().formatHex(digest.digest()) + " " + size + "\n");
                    } else if (target.startsWith("/download/")) {
                        send(out, target.endsWith("chunked"), deadline);
                    } else {
                        answer(out, "small\n");
                    }
                }
            } catch (SocketException e) {
                // the peer went away; the test reports its own failure
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static void answer(OutputStream out, String text) throws IOException {
            byte[] body = text.getBytes(StandardCharsets.US_ASCII);
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
        }

        private void send(OutputStream out, boolean chunked, long deadline) throws IOException {
            String framing = chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + SIZE + "\r\n";
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n" + framing + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            MessageDigest digest = sha256();
            Body body = new Body();
            byte[] block = new byte[BLOCK];
            for (long sent = 0; sent < SIZE; sent += BLOCK) {
                checkDeadline(deadline, "server write");
                body.fill(block, sent);
                digest.update(block);
                if (chunked) {
                    out.write((Integer.toHexString(BLOCK) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(block);
                    out.write(CRLF);
                } else {
                    out.write(block);
                }
            }
            if (chunked) {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            sentDigests.add(HexFormat.of().formatHex(digest.digest()));
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
