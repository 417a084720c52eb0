package dev.switchboard.kernel.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.kernel.routing.Upstream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The loop code over in-memory channels (what the round-trip benchmark's {@code target=memory} measures) behaves as it
 * does over TCP: keep-alive, pipelining in order, a body larger than the channels' buffers streamed with backpressure.
 */
class InMemoryProxyTest {
    private static final InetSocketAddress BACKEND = new InetSocketAddress("127.0.0.1", 2);

    /** An in-memory server end: answers each request head with its request line and {@code size} bytes of body. */
    private static final class Server implements Runnable {
        final MemoryChannel end;
        final int size;
        final List<String> requestLines;
        final StringBuilder head = new StringBuilder();
        ByteBuffer pending = ByteBuffer.allocate(0);

        Server(MemoryChannel end, int size, List<String> requestLines) {
            this.end = end;
            this.size = size;
            this.requestLines = requestLines;
            end.onChange(this);
        }

        @Override
        public synchronized void run() {
            try {
                ByteBuffer in = ByteBuffer.allocate(4096);
                int n;
                while ((n = end.read(in.clear())) > 0) {
                    head.append(new String(in.array(), 0, n, StandardCharsets.ISO_8859_1));
                    int e;
                    while ((e = head.indexOf("\r\n\r\n")) >= 0) {
                        String line = head.substring(0, head.indexOf("\r\n"));
                        head.delete(0, e + 4);
                        requestLines.add(line);
                        byte[] body = (line + "\n" + "x".repeat(Math.max(0, size - line.length() - 1)))
                                .getBytes(StandardCharsets.ISO_8859_1);
                        byte[] h = ("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n")
                                .getBytes(StandardCharsets.ISO_8859_1);
                        ByteBuffer next = ByteBuffer.allocate(pending.remaining() + h.length + body.length);
                        next.put(pending).put(h).put(body).flip();
                        pending = next;
                    }
                }
                end.write(pending); // the rest when the proxy has read some (run again then)
            } catch (IOException e) {
                // the proxy closed its end
            }
        }
    }

    private static String readResponse(MemoryChannel client, ByteArrayOutputStream carry) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        while (true) {
            String text = carry.toString(StandardCharsets.ISO_8859_1);
            int e = text.indexOf("\r\n\r\n");
            if (e >= 0) {
                int cl = text.indexOf("Content-Length: ");
                int len = Integer.parseInt(text.substring(cl + 16, text.indexOf("\r\n", cl)));
                if (text.length() >= e + 4 + len) {
                    byte[] all = carry.toByteArray();
                    carry.reset();
                    carry.write(all, e + 4 + len, all.length - e - 4 - len);
                    return text.substring(0, e + 4 + len);
                }
            }
            int n = client.read(buf.clear());
            if (n < 0) {
                throw new IOException("closed");
            }
            if (n == 0) {
                assertTrue(client.awaitInput(10_000), "no answer within 10 s");
            }
            carry.write(buf.array(), 0, n);
        }
    }

    private static void writeAll(MemoryChannel c, String s) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
        while (b.hasRemaining()) {
            c.write(b);
        }
    }

    @Test
    void keepAliveAndPipelinedRequestsAreAnsweredInOrderOverOneBackendConnection() throws Exception {
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger connections = new AtomicInteger();
        try (ProxyHarness proxy = new ProxyHarness();
             AutoCloseable backend = MemoryChannel.listen(BACKEND, end -> {
                 connections.incrementAndGet();
                 new Server(end, 100, seen);
             })) {
            proxy.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("b",
                    new Upstream(null, BACKEND, "127.0.0.1:2", "http://127.0.0.1:2"))));
            MemoryChannel client = proxy.server.connectInMemory("http");
            ByteArrayOutputStream carry = new ByteArrayOutputStream();
            for (int i = 0; i < 20; i++) {
                writeAll(client, "GET /one/" + i + " HTTP/1.1\r\nHost: m\r\n\r\n");
                assertTrue(readResponse(client, carry).contains("\r\n\r\nGET /one/" + i + " HTTP/1.1\n"));
            }
            StringBuilder pipelined = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                pipelined.append("GET /p/").append(i).append(" HTTP/1.1\r\nHost: m\r\n\r\n");
            }
            writeAll(client, pipelined.toString());
            for (int i = 0; i < 10; i++) {
                assertTrue(readResponse(client, carry).contains("\r\n\r\nGET /p/" + i + " HTTP/1.1\n"), "in order");
            }
            assertEquals(30, seen.size());
            assertEquals(1, connections.get(), "one pooled backend connection");
            client.close();
            ProxyHarness.await("the in-memory connection closed", () -> proxy.server.connections() == 0);
        }
    }

    @Test
    void aBodyLargerThanTheChannelBuffersIsStreamedWhole() throws Exception {
        int size = 3 * MemoryChannel.CAPACITY + 12345;
        try (ProxyHarness proxy = new ProxyHarness();
             AutoCloseable backend = MemoryChannel.listen(BACKEND, end -> new Server(end, size, new ArrayList<>()))) {
            proxy.router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("b",
                    new Upstream(null, BACKEND, "127.0.0.1:2", "http://127.0.0.1:2"))));
            MemoryChannel client = proxy.server.connectInMemory("http");
            ByteArrayOutputStream carry = new ByteArrayOutputStream();
            writeAll(client, "GET /big HTTP/1.1\r\nHost: m\r\n\r\n");
            String r = readResponse(client, carry);
            assertTrue(r.startsWith("HTTP/1.1 200 OK\r\n"), r.substring(0, 40));
            assertEquals(size, r.length() - r.indexOf("\r\n\r\n") - 4);
            writeAll(client, "GET /after HTTP/1.1\r\nHost: m\r\n\r\n");
            assertTrue(readResponse(client, carry).contains("GET /after HTTP/1.1\n"), "the connection still works");
            client.close();
        }
    }

    @Test
    void aDrivenProxyServesInTheCallersThreadAndShutsDownCleanly() throws Exception {
        StubRouter router = new StubRouter();
        router.add(null, "/", StubRouter.frontend("f", new StubRouter.Backend("b",
                new Upstream(null, BACKEND, "127.0.0.1:2", "http://127.0.0.1:2"))));
        ProxySettings s = ProxySettings.defaults(List.of(new ProxySettings.Listener("http",
                new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), List.of())));
        ProxyServer server = new ProxyServer(s, () -> router);
        List<String> seen = new ArrayList<>();
        try (AutoCloseable backend = MemoryChannel.listen(BACKEND, end -> new Server(end, 10, seen))) {
            server.startDriven();
            MemoryChannel client = server.connectInMemory("http");
            writeAll(client, "GET /driven HTTP/1.1\r\nHost: m\r\n\r\n");
            ByteBuffer buf = ByteBuffer.allocate(4096);
            StringBuilder got = new StringBuilder();
            for (int turns = 0; turns < 1000 && !got.toString().contains("GET /driven HTTP/1.1\n"); turns++) {
                server.turnLoops(); // nothing runs the loops but this thread
                int n = client.read(buf.clear());
                got.append(new String(buf.array(), 0, Math.max(0, n), StandardCharsets.ISO_8859_1));
            }
            assertTrue(got.toString().startsWith("HTTP/1.1 200 OK\r\n"), got.toString());
            assertEquals(List.of("GET /driven HTTP/1.1"), seen);
        } finally {
            server.shutdown();
        }
        assertEquals(0, server.outstandingBuffers(), "the loops, handed to their threads, closed everything");
    }
}
