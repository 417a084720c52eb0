package dev.switchboard.kernel.net;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Every rule of RFC 9112 the kernel enforces on a request head or body framing, as (name, status answered, raw
 * request), with the request-smuggling payloads (CL.TE, TE.CL, TE.TE obfuscations) among them. One table for the
 * kernel's socket test and the distribution's test through the launcher (exported in the kernel's test jar).
 */
public final class MalformedRequests {
    private MalformedRequests() {
    }

    public static Stream<Arguments> cases() {
        String h = "Host: x\r\n";
        return Stream.of(
                Arguments.of("CL.TE: Content-Length and Transfer-Encoding", 400,
                        "POST / HTTP/1.1\r\n" + h + "Content-Length: 13\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nSMUGGLED"),
                Arguments.of("TE.CL: Transfer-Encoding and Content-Length", 400,
                        "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n"),
                Arguments.of("TE.TE: xchunked", 501, "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: xchunked\r\n\r\n"),
                Arguments.of("TE.TE: space before colon", 400, "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding : chunked\r\n\r\n"),
                Arguments.of("TE.TE: second TE field", 501,
                        "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\nTransfer-encoding: cow\r\n\r\n"),
                Arguments.of("TE.TE: vertical tab", 400, "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding:\u000bchunked\r\n\r\n"),
                Arguments.of("TE.TE: obs-fold", 400, "POST / HTTP/1.1\r\n" + h + "X: y\r\n Transfer-Encoding: chunked\r\n\r\n"),
                Arguments.of("TE.TE: chunked then identity", 501,
                        "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked, identity\r\n\r\n"),
                Arguments.of("Transfer-Encoding in HTTP/1.0", 400, "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
                Arguments.of("differing Content-Length", 400, "POST / HTTP/1.1\r\n" + h + "Content-Length: 1\r\nContent-Length: 2\r\n\r\nab"),
                Arguments.of("invalid Content-Length", 400, "POST / HTTP/1.1\r\n" + h + "Content-Length: +1\r\n\r\na"),
                Arguments.of("chunk size not hex", 400, "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\n0x1\r\na\r\n0\r\n\r\n"),
                Arguments.of("chunk size overflow", 400,
                        "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\n10000000000000001\r\n"),
                Arguments.of("chunk without CRLF", 400, "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\n1\r\nab\r\n0\r\n\r\n"),
                Arguments.of("bare CR in request line", 400, "GET /\r HTTP/1.1\r\n" + h + "\r\n"),
                Arguments.of("NUL in field", 400, "GET / HTTP/1.1\r\n" + h + "X: a\u0000\r\n\r\n"),
                Arguments.of("whitespace before colon", 400, "GET / HTTP/1.1\r\n" + h + "X-A : b\r\n\r\n"),
                Arguments.of("non-token field name", 400, "GET / HTTP/1.1\r\n" + h + "X<A>: b\r\n\r\n"),
                Arguments.of("HTTP/1.1 without Host", 400, "GET / HTTP/1.1\r\n\r\n"),
                Arguments.of("two Host fields", 400, "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
                Arguments.of("request line over 8 KiB", 414, "GET /" + "a".repeat(9000) + " HTTP/1.1\r\n" + h + "\r\n"),
                Arguments.of("header section over 32 KiB", 431, "GET / HTTP/1.1\r\n" + h + ("X: " + "b".repeat(1000) + "\r\n").repeat(40) + "\r\n"),
                Arguments.of("HTTP/2.0 request line", 505, "GET / HTTP/2.0\r\n" + h + "\r\n"),
                Arguments.of("CONNECT", 501, "CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n"));
    }
}
