package dev.switchboard.kernel.net;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A raw-socket HTTP/1.1 client: sends exactly the bytes given, reads responses framed by the rules of RFC 9112. */
final class TestClient implements AutoCloseable {

    record Response(int status, String statusLine, List<String[]> fields, byte[] body, boolean chunked) {
        String header(String name) {
            for (String[] f : fields) {
                if (f[0].equalsIgnoreCase(name)) {
                    return f[1];
                }
            }
            return null;
        }

        String bodyText() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    TestClient(InetSocketAddress address) throws IOException {
        socket = new Socket();
        socket.connect(address, 5_000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    TestClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    TestClient send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    Response get(String path, String host) throws IOException {
        send("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
        return read();
    }

    Response read() throws IOException {
        return read("GET");
    }

    /** Reads one final response (interim 1xx responses are skipped) to a request with {@code method}. */
    Response read(String method) throws IOException {
        while (true) {
            Response r = readOne(method);
            if (r.status() >= 200 || r.status() == 101) {
                return r;
            }
        }
    }

    Response readOne(String method) throws IOException {
        String statusLine = TestBackend.readLine(in, new StringBuilder());
        if (statusLine == null) {
            throw new EOFException("connection closed before a response");
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        List<String[]> fields = new ArrayList<>();
        String l;
        while (!(l = TestBackend.readLine(in, new StringBuilder())).isEmpty()) {
            int colon = l.indexOf(':');
            fields.add(new String[] {l.substring(0, colon), l.substring(colon + 1).strip()});
        }
        String te = null;
        String cl = null;
        for (String[] f : fields) {
            if (f[0].equalsIgnoreCase("Transfer-Encoding")) {
                te = f[1];
            }
            if (f[0].equalsIgnoreCase("Content-Length")) {
                cl = f[1];
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean noBody = method.equals("HEAD") || status < 200 || status == 204 || status == 304;
        boolean chunked = te != null && te.toLowerCase(Locale.ROOT).contains("chunked");
        if (noBody) {
            return new Response(status, statusLine, fields, new byte[0], false);
        }
        if (chunked) {
            while (true) {
                String size = TestBackend.readLine(in, new StringBuilder());
                int n = Integer.parseInt(size.split(";")[0].strip(), 16);
                if (n == 0) {
                    String t;
                    while (!(t = TestBackend.readLine(in, new StringBuilder())).isEmpty()) {
                        int colon = t.indexOf(':');
                        fields.add(new String[] {"trailer:" + t.substring(0, colon), t.substring(colon + 1).strip()});
                    }
                    break;
                }
                byte[] b = in.readNBytes(n);
                if (b.length < n) {
                    throw new EOFException("chunk cut short");
                }
                body.write(b);
                TestBackend.readLine(in, new StringBuilder());
            }
        } else if (cl != null) {
            int n = Integer.parseInt(cl);
            byte[] b = in.readNBytes(n);
            if (b.length < n) {
                throw new EOFException("body cut short: " + b.length + " of " + n);
            }
            body.write(b);
        } else {
            body.write(in.readAllBytes());
        }
        return new Response(status, statusLine, fields, body.toByteArray(), chunked);
    }

    /** True if the proxy closes the connection (end of input or reset) within the socket timeout. */
    boolean closedByPeer() throws IOException {
        try {
            int b = in.read();
            return b < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    /** Everything until the proxy closes the connection. */
    String readAll() throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
