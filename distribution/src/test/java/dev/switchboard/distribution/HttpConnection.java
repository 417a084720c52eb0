package dev.switchboard.distribution;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal HTTP/1.1 client over one loopback socket, so that tests control exactly which bytes go out (any Host
 * field) and which connection they go on (keep-alive is observable: {@link #localPort()} stays the same).
 * Understands Content-Length, chunked and close-delimited responses. Not thread-safe.
 */
final class HttpConnection implements AutoCloseable {
    private static final int READ_TIMEOUT_MS = 15_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private HttpConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static HttpConnection open(int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
            socket.setSoTimeout(READ_TIMEOUT_MS);
            socket.setTcpNoDelay(true);
            return new HttpConnection(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** One request on a new connection that is closed afterwards. */
    static Response get(int port, String host, String target) throws IOException {
        try (HttpConnection connection = open(port)) {
            return connection.get(host, target);
        }
    }

    Response get(String host, String target) throws IOException {
        return send("GET", target, Map.of("Host", host), null);
    }

    /** Sends one request and reads its response; a body, if any, goes with a Content-Length. */
    Response send(String method, String target, Map<String, String> headers, byte[] body) throws IOException {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            out.write(body);
        }
        out.flush();
        return readResponse(method);
    }

    /** Sends {@code head} and {@code rest} exactly as given (no framing added) and reads one response. */
    Response sendRaw(String method, byte[] head, byte[] rest) throws IOException {
        out.write(head);
        out.write(rest);
        out.flush();
        return readResponse(method);
    }

    int localPort() {
        return socket.getLocalPort();
    }

    /** True if the peer has closed its side (reads end of stream within a short wait). */
    boolean peerClosed(int waitMillis) throws IOException {
        int timeout = socket.getSoTimeout();
        socket.setSoTimeout(waitMillis);
        try {
            return in.read() < 0;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        } finally {
            socket.setSoTimeout(timeout);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private Response readResponse(String method) throws IOException {
        String statusLine = readLine();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String line; !(line = readLine()).isEmpty(); ) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header line: " + line);
            }
            headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
        if (status / 100 == 1) {
            return readResponse(method); // interim response: the real one follows
        }
        byte[] body;
        String transferEncoding = first(headers, "transfer-encoding");
        String contentLength = first(headers, "content-length");
        if ("HEAD".equals(method) || status == 204 || status == 304) {
            body = new byte[0];
        } else if (transferEncoding != null && transferEncoding.toLowerCase(Locale.ROOT).endsWith("chunked")) {
            body = readChunked();
        } else if (contentLength != null) {
            body = in.readNBytes(Integer.parseInt(contentLength));
        } else {
            body = in.readAllBytes();
        }
        return new Response(status, headers, body);
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine();
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                while (!readLine().isEmpty()) {
                    // trailer fields are ignored
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            readLine();
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed after " + line.size() + " bytes of a line: "
                        + line.toString(StandardCharsets.ISO_8859_1));
            }
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** A response as received. Header names are lower-cased. */
    record Response(int status, Map<String, List<String>> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The first line of the body: the demo and test backends put their name there. */
        String firstLine() {
            String text = text();
            int end = text.indexOf('\n');
            return end < 0 ? text : text.substring(0, end);
        }

        String header(String name) {
            return first(headers, name.toLowerCase(Locale.ROOT));
        }

        @Override
        public String toString() {
            return "HTTP " + status + " " + headers + "\n" + text();
        }
    }
}
