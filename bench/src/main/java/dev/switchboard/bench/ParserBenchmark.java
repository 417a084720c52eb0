package dev.switchboard.bench;

import dev.switchboard.kernel.http.Http1Parser;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The HTTP/1.1 parser alone, on direct buffers as the loops use them: a browser-like request head, a 64 KiB chunked
 * body, and a typical response head. Run with {@code -prof gc} to see the bytes allocated per message.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ParserBenchmark {
    private ByteBuffer browserGet;
    private ByteBuffer chunkedPost;
    private ByteBuffer response;
    private final Http1Parser requests = new Http1Parser(Http1Parser.Mode.REQUEST);
    private final Http1Parser responses = new Http1Parser(Http1Parser.Mode.RESPONSE);

    private static ByteBuffer direct(byte[] bytes) {
        ByteBuffer b = ByteBuffer.allocateDirect(bytes.length);
        b.put(bytes).flip();
        return b;
    }

    @Setup
    public void setUp() {
        browserGet = direct(("GET /api/v1/users/12345/orders?page=2&sort=desc HTTP/1.1\r\n"
                + "Host: shop.example.com\r\n"
                + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0\r\n"
                + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
                + "Accept-Language: en-US,en;q=0.5\r\n"
                + "Accept-Encoding: gzip, deflate, br\r\n"
                + "Cookie: session=7f3e9a0c2b1d4e5f; theme=dark\r\n"
                + "Connection: keep-alive\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        StringBuilder chunked = new StringBuilder("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
        String piece = "x".repeat(4096);
        for (int i = 0; i < 16; i++) {
            chunked.append("1000\r\n").append(piece).append("\r\n");
        }
        chunked.append("0\r\n\r\n");
        chunkedPost = direct(chunked.toString().getBytes(StandardCharsets.ISO_8859_1));
        response = direct(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
                + "Date: Mon, 27 Nov 2026 08:00:00 GMT\r\nCache-Control: no-cache\r\n\r\n{}")
                .getBytes(StandardCharsets.ISO_8859_1));
    }

    private static long drain(Http1Parser parser, ByteBuffer in) {
        in.rewind();
        long content = 0;
        while (true) {
            Http1Parser.Event e = parser.next(in, Integer.MAX_VALUE);
            switch (e) {
                case CONTENT -> content += parser.contentLength();
                case MESSAGE_END -> {
                    return content;
                }
                case ERROR, NEED_MORE -> throw new IllegalStateException(e + " " + parser.errorReason());
                default -> {
                }
            }
        }
    }

    @Benchmark
    public long browserRequestHead() {
        return drain(requests, browserGet);
    }

    @Benchmark
    public long chunkedBody64KiB() {
        return drain(requests, chunkedPost);
    }

    @Benchmark
    public long responseHead() {
        responses.expectResponseTo("GET");
        return drain(responses, response);
    }
}
