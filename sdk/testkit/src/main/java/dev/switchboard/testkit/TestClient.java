package dev.switchboard.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A deliberately small HTTP/1.1 client over a plain socket: it sends exactly the fields it is given (a {@code Host}
 * of the test's choosing included, which {@code java.net.http} refuses), one request per connection, and reads a
 * response framed by {@code Content-Length}, chunked coding, or the connection's end.
 */
public final class TestClient {
    static final int READ_TIMEOUT_MILLIS = 30_000;
    static final int MAX_HEAD_BYTES = 64 * 1024;

    private final InetSocketAddress address;

    public TestClient(InetSocketAddress address) {
        this.address = address;
    }

    /**
     * Sends one request and reads its response. {@code Host} defaults to {@code localhost}; {@code Content-Length}
     * is added when there is a body; {@code Connection: close} is added unless the test gave a {@code Connection}.
     */
    public TestResponse send(String method, String target, Map<String, String> headers, byte[] body)
            throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        Map<String, String> lower = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        lower.putAll(headers);
        if (!lower.containsKey("Host")) {
            fields.put("Host", "localhost");
        }
        fields.putAll(headers);
        if (body != null && !lower.containsKey("Content-Length") && !lower.containsKey("Transfer-Encoding")) {
            fields.put("Content-Length", Integer.toString(body.length));
        }
        if (!lower.containsKey("Connection")) {
            fields.put("Connection", "close");
        }
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        fields.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("\r\n");
        try (Socket socket = new Socket()) {
            socket.connect(address, READ_TIMEOUT_MILLIS);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return read(new BufferedInputStream(socket.getInputStream()), method);
        }
    }

    private static TestResponse read(InputStream in, String method) throws IOException {
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String l = line(in); !l.isEmpty(); l = line(in)) {
            int colon = l.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed field line: " + l);
            }
            headers.computeIfAbsent(l.substring(0, colon).trim(), k -> new ArrayList<>())
                    .add(l.substring(colon + 1).trim());
        }
        byte[] body;
        String te = first(headers, "Transfer-Encoding");
        String cl = first(headers, "Content-Length");
        if ("HEAD".equals(method) || status / 100 == 1 || status == 204 || status == 304) {
            body = new byte[0];
        } else if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            body = chunked(in);
        } else if (cl != null) {
            body = in.readNBytes(Integer.parseInt(cl.trim()));
        } else {
            body = in.readAllBytes();
        }
        return new TestResponse(status, headers, body);
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            int semicolon = size.indexOf(';');
            int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            if (n == 0) {
                for (String trailer = line(in); !trailer.isEmpty(); trailer = line(in)) {
                    // trailers are read and dropped
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(n));
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed in the middle of a response head");
            }
            if (b.size() > MAX_HEAD_BYTES) {
                throw new IOException("response head longer than " + MAX_HEAD_BYTES + " bytes");
            }
            b.write(c);
        }
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> v = headers.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }
}
