package dev.switchboard.kernel.net;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import dev.switchboard.kernel.routing.Upstream;
import dev.switchboard.spi.model.Origin;
import dev.switchboard.spi.model.Server;

/**
 * A blocking HTTP/1.1 test server on loopback, independent of the kernel's parser: it records every request exactly
 * as received (head lines, decoded body, whether it was chunked) and answers through a handler, by default an echo.
 */
final class TestBackend implements AutoCloseable {

    /** One request as the server received it. */
    record Received(String requestLine, List<String[]> fields, byte[] body, boolean chunked, String rawHead) {
        String method() {
            return requestLine.split(" ")[0];
        }

        String target() {
            return requestLine.split(" ")[1];
        }

        String header(String name) {
            for (String[] f : fields) {
                if (f[0].equalsIgnoreCase(name)) {
                    return f[1];
                }
            }
            return null;
        }

        List<String> headers(String name) {
            List<String> out = new ArrayList<>();
            for (String[] f : fields) {
                if (f[0].equalsIgnoreCase(name)) {
                    out.add(f[1]);
                }
            }
            return out;
        }

        String bodyText() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    /** Answers one request; returns false to close the connection afterwards. */
    interface Handler {
        boolean handle(Received request, OutputStream out, Socket socket) throws IOException;
    }

    final String name;
    private final ServerSocket server;
    private final Handler handler;
    final AtomicInteger accepts = new AtomicInteger();
    /** Connections that ended in the middle of a request (the proxy gave up on it and closed). */
    final AtomicInteger incomplete = new AtomicInteger();
    /** Bytes received over all connections. */
    final java.util.concurrent.atomic.AtomicLong bytesIn = new java.util.concurrent.atomic.AtomicLong();
    /** Connections that ended, however. */
    final AtomicInteger closedConnections = new AtomicInteger();
    final List<Received> received = new CopyOnWriteArrayList<>();
    final LinkedBlockingQueue<Received> arrivals = new LinkedBlockingQueue<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private volatile boolean closed;

    TestBackend(String name, Handler handler) throws IOException {
        this.name = name;
        this.handler = handler;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "test-backend-" + name);
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    TestBackend(String name) throws IOException {
        this(name, null);
    }

    int port() {
        return server.getLocalPort();
    }

    Upstream upstream() {
        String authority = "127.0.0.1:" + port();
        return new Upstream(new Server(name, URI.create("http://" + authority), 1, Origin.UNKNOWN),
                new InetSocketAddress("127.0.0.1", port()), authority, "http://" + authority);
    }

    Received take() throws InterruptedException {
        Received r = arrivals.poll(10, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("backend " + name + " received no request within 10 s");
        }
        return r;
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return;
            }
            accepts.incrementAndGet();
            try {
                s.setTcpNoDelay(true); // a response written in pieces must not wait for the proxy's delayed ACK
            } catch (IOException e) {
                // keep serving without it
            }
            sockets.add(s);
            Thread t = new Thread(() -> serve(s), "test-backend-" + name + "-conn");
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(20_000);
            InputStream raw = s.getInputStream();
            InputStream in = new java.io.FilterInputStream(raw) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        bytesIn.incrementAndGet();
                    }
                    return b;
                }

                @Override
                public int read(byte[] buf, int off, int len) throws IOException {
                    int n = super.read(buf, off, len);
                    if (n > 0) {
                        bytesIn.addAndGet(n);
                    }
                    return n;
                }
            };
            OutputStream out = s.getOutputStream();
            while (true) {
                Received r = readRequest(in, out);
                if (r == null) {
                    return;
                }
                received.add(r);
                arrivals.add(r);
                boolean keep = handler == null ? echo(r, out) : handler.handle(r, out, s);
                out.flush();
                if (!keep) {
                    return;
                }
            }
        } catch (EOFException e) {
            incomplete.incrementAndGet();
        } catch (IOException e) {
            // the peer went away; that is the test's business
        } finally {
            closedConnections.incrementAndGet();
        }
    }

    /** The default answer: the backend's name, the request line, each field, a blank line, the body. */
    boolean echo(Received r, OutputStream out) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("backend=").append(name).append('\n').append(r.requestLine()).append('\n');
        for (String[] f : r.fields()) {
            sb.append(f[0]).append(": ").append(f[1]).append('\n');
        }
        sb.append('\n');
        byte[] head = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] body = new byte[head.length + r.body().length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(r.body(), 0, body, head.length, r.body().length);
        if (r.method().equals("HEAD")) {
            // a HEAD response announces the length but carries no body (RFC 9110 §9.3.2)
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            return true;
        }
        writeResponse(out, 200, "OK", body, "Content-Type: text/plain");
        return true;
    }

    static void writeResponse(OutputStream out, int status, String reason, byte[] body, String... fields)
            throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
        for (String f : fields) {
            sb.append(f).append("\r\n");
        }
        sb.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    static Received readRequest(InputStream in) throws IOException {
        return readRequest(in, null);
    }

    /** Reads one request; answers {@code Expect: 100-continue} with a 100 on {@code out} (if given) first. */
    static Received readRequest(InputStream in, OutputStream out) throws IOException {
        StringBuilder raw = new StringBuilder();
        String line = readLine(in, raw);
        if (line == null) {
            return null;
        }
        List<String[]> fields = new ArrayList<>();
        String l;
        while (!(l = readLine(in, raw)).isEmpty()) {
            int colon = l.indexOf(':');
            fields.add(new String[] {l.substring(0, colon), l.substring(colon + 1).strip()});
        }
        boolean chunked = false;
        long length = 0;
        for (String[] f : fields) {
            if (f[0].equalsIgnoreCase("Transfer-Encoding") && f[1].toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            }
            if (f[0].equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(f[1]);
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (out != null) {
            for (String[] f : fields) {
                if (f[0].equalsIgnoreCase("Expect") && f[1].equalsIgnoreCase("100-continue")) {
                    out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
            }
        }
        if (chunked) {
            while (true) {
                String size = readLine(in, new StringBuilder());
                int semi = size.indexOf(';');
                int n = Integer.parseInt(semi < 0 ? size : size.substring(0, semi), 16);
                if (n == 0) {
                    String t;
                    while (!(t = readLine(in, new StringBuilder())).isEmpty()) {
                        int colon = t.indexOf(':');
                        fields.add(new String[] {"trailer:" + t.substring(0, colon), t.substring(colon + 1).strip()});
                    }
                    break;
                }
                body.write(in.readNBytes(n));
                readLine(in, new StringBuilder());
            }
        } else if (length > 0) {
            byte[] b = in.readNBytes((int) length);
            if (b.length < length) {
                throw new EOFException("short body");
            }
            body.write(b);
        }
        return new Received(line, fields, body.toByteArray(), chunked, raw.toString());
    }

    /** Reads a CRLF-terminated line; null at a clean end of input before any byte. */
    static String readLine(InputStream in, StringBuilder raw) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        boolean any = false;
        while ((c = in.read()) >= 0) {
            any = true;
            raw.append((char) c);
            if (c == '\n') {
                int n = sb.length();
                return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
            }
            sb.append((char) c);
        }
        if (!any) {
            return null;
        }
        throw new EOFException("line cut short: " + sb);
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
