package dev.switchboard.kernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One test per RFC 9112 rule the parser enforces. Every input is also parsed split at every byte (and at every pair
 * of bytes for short inputs), which must give the same result as parsing it whole.
 */
class Http1ParserTest {

    /** Parses {@code text} whole and split at every point; all must agree. */
    static ParseDriver.Result req(String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        ParseDriver.Result whole = ParseDriver.request(b, new int[0]);
        // every byte for inputs up to 2 KiB; for longer ones (limit tests) the first and last 512 bytes and every 251st
        for (int i = 0; i <= b.length; i++) {
            if (b.length > 2048 && i > 512 && i < b.length - 512 && i % 251 != 0) {
                continue;
            }
            assertEquals(whole, ParseDriver.request(b, new int[] {i}), "split at " + i + " of " + text);
        }
        if (b.length <= 64) {
            for (int i = 0; i <= b.length; i++) {
                for (int j = i; j <= b.length; j++) {
                    assertEquals(whole, ParseDriver.request(b, new int[] {i, j}), "split at " + i + "," + j);
                }
            }
        }
        return whole;
    }

    static ParseDriver.Result resp(String text, String... methods) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        ParseDriver.Result whole = ParseDriver.response(b, new int[0], true, methods);
        for (int i = 0; i <= b.length; i++) {
            assertEquals(whole, ParseDriver.response(b, new int[] {i}, true, methods), "split at " + i);
        }
        return whole;
    }

    static void rejected(int status, String text) {
        ParseDriver.Result r = req(text);
        assertEquals(status, r.errorStatus(), () -> "expected " + status + " for " + text.replace("\r", "\\r")
                .replace("\n", "\\n") + " but got " + r);
    }

    static final String H = "Host: x\r\n";

    // ------------------------------------------------------------------ accepted forms

    @Test
    void simpleGetParsesWithItsFields() {
        ParseDriver.Result r = req("GET /a?b=c HTTP/1.1\r\nHost: example.com\r\nAccept:  */*  \r\n\r\n");
        assertEquals("BOUNDARY", r.end());
        assertEquals(1, r.messages().size());
        assertEquals("GET /a?b=c HTTP/1.1 framing=NONE length=-1 path=/a authority=null [Host=example.com] [Accept=*/*]",
                r.messages().get(0).head());
    }

    @Test
    void bareLfLineEndingsAreAcceptedInTheHead() {
        ParseDriver.Result r = req("GET / HTTP/1.1\nHost: x\n\n");
        assertEquals(1, r.messages().size());
    }

    @Test
    void emptyLinesBeforeTheRequestLineAreIgnored() {
        assertEquals(1, req("\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n").messages().size());
    }

    @Test
    void contentLengthBodyIsDelivered() {
        ParseDriver.Result r = req("POST / HTTP/1.1\r\n" + H + "Content-Length: 11\r\n\r\nhello world");
        assertEquals("hello world", r.messages().get(0).body());
    }

    @Test
    void identicalContentLengthValuesAreAccepted() {
        ParseDriver.Result r = req("POST / HTTP/1.1\r\n" + H + "Content-Length: 3, 3\r\nContent-Length: 3\r\n\r\nabc");
        assertEquals("abc", r.messages().get(0).body());
    }

    @Test
    void chunkedBodyWithExtensionsAndTrailersIsDelivered() {
        ParseDriver.Result r = req("POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n"
                + "4;a=b\r\nWiki\r\n5 ; x\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nExpires: never\r\n\r\n");
        assertEquals("Wikipedia in\r\n\r\nchunks.", r.messages().get(0).body());
        assertEquals(List.of("Expires", "never"), r.messages().get(0).trailers());
    }

    @Test
    void pipelinedRequestsParseAsSeparateMessages() {
        ParseDriver.Result r = req("GET /1 HTTP/1.1\r\n" + H + "\r\nPOST /2 HTTP/1.1\r\n" + H
                + "Content-Length: 2\r\n\r\nokGET /3 HTTP/1.1\r\n" + H + "\r\n");
        assertEquals(3, r.messages().size());
        assertEquals("ok", r.messages().get(1).body());
    }

    @Test
    void absoluteFormTargetGivesAuthorityAndPath() {
        ParseDriver.Result r = req("GET http://Other.example:8080/p/../q?x HTTP/1.1\r\n" + H + "\r\n");
        assertTrue(r.messages().get(0).head().contains("path=/q authority=Other.example:8080"), r.toString());
    }

    @Test
    void http10WithoutHostIsAccepted() {
        assertEquals(1, req("GET / HTTP/1.0\r\n\r\n").messages().size());
    }

    @Test
    void percentEncodedUnreservedCharactersAreDecodedAndDotSegmentsRemoved() {
        ParseDriver.Result r = req("GET /a/%2E%2e/%7euser/./b%2fc HTTP/1.1\r\n" + H + "\r\n");
        assertTrue(r.messages().get(0).head().contains("path=/~user/b%2Fc "), r.toString());
    }

    // ------------------------------------------------------------------ framing (RFC 9112 §6)

    @Test
    void contentLengthWithTransferEncodingIsRejectedWith400() {
        rejected(400, "POST / HTTP/1.1\r\n" + H + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n");
        rejected(400, "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\nContent-Length: 0\r\n\r\n");
    }

    @Test
    void differingContentLengthsAreRejectedWith400() {
        rejected(400, "POST / HTTP/1.1\r\n" + H + "Content-Length: 5\r\nContent-Length: 6\r\n\r\n");
        rejected(400, "POST / HTTP/1.1\r\n" + H + "Content-Length: 5, 6\r\n\r\n");
    }

    @Test
    void nonDecimalContentLengthIsRejectedWith400() {
        for (String v : List.of("+5", "-1", "0x5", "5 5", "5.0", "", "1234567890123456789", "５")) {
            rejected(400, "POST / HTTP/1.1\r\n" + H + "Content-Length: " + v + "\r\n\r\n");
        }
    }

    @Test
    void unknownTransferCodingIsRejectedWith501() {
        for (String v : List.of("gzip, chunked", "identity", "xchunked", "chunked;q=1", "chunked, gzip")) {
            rejected(501, "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: " + v + "\r\n\r\n");
        }
    }

    @Test
    void transferEncodingSplitOverTwoFieldsEndingInAnUnknownCodingIsRejectedWith501() {
        rejected(501, "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n");
    }

    @Test
    void chunkedAppliedTwiceIsRejectedWith400() {
        rejected(400, "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked, chunked\r\n\r\n");
    }

    @Test
    void transferEncodingInHttp10RequestIsRejectedWith400() {
        rejected(400, "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n");
    }

    @Test
    void transferEncodingValueIsCaseInsensitiveAndTrimmed() {
        ParseDriver.Result r = req("POST / HTTP/1.1\r\n" + H + "Transfer-Encoding:\t CHUNKED \r\n\r\n1\r\na\r\n0\r\n\r\n");
        assertEquals("a", r.messages().get(0).body());
    }

    // ------------------------------------------------------------------ chunks (RFC 9112 §7.1)

    static String chunked(String body) {
        return "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n" + body;
    }

    @Test
    void chunkSizeThatIsNotHexIsRejectedWith400() {
        for (String size : List.of("0x5", "-5", " 5", "g", "+5", "")) {
            rejected(400, chunked(size + "\r\nhello\r\n0\r\n\r\n"));
        }
    }

    @Test
    void chunkSizeTooLongToFitIsRejectedWith400() {
        rejected(400, chunked("1000000000000000\r\n"));
        rejected(400, chunked("ffffffffffffffffff\r\n"));
    }

    @Test
    void chunkSizeWithLeadingZerosIsAcceptedWithinTheDigitLimit() {
        assertEquals("abc", req(chunked("0003\r\nabc\r\n0\r\n\r\n")).messages().get(0).body());
    }

    @Test
    void chunkExtensionTooLongIsRejectedWith400() {
        rejected(400, chunked("1;" + "a".repeat(HttpLimits.MAX_CHUNK_EXTENSION_BYTES) + "\r\nx\r\n0\r\n\r\n"));
    }

    @Test
    void chunkDataNotFollowedByCrlfIsRejectedWith400() {
        rejected(400, chunked("3\r\nabcd\r\n0\r\n\r\n"));
        rejected(400, chunked("3\r\nabc\n0\r\n\r\n"));
        rejected(400, chunked("3\r\nabc\rX0\r\n\r\n"));
    }

    @Test
    void chunkLineEndedByBareLfIsRejectedWith400() {
        rejected(400, chunked("3\nabc\r\n0\r\n\r\n"));
        rejected(400, chunked("3;x\nabc\r\n0\r\n\r\n"));
    }

    @Test
    void whitespaceAfterChunkSizeWithoutExtensionIsRejectedWith400() {
        rejected(400, chunked("3 \r\nabc\r\n0\r\n\r\n"));
    }

    @Test
    void controlCharacterInChunkExtensionIsRejectedWith400() {
        rejected(400, chunked("3;a\u0000\r\nabc\r\n0\r\n\r\n"));
    }

    @Test
    void obsFoldInTrailerIsRejectedWith400() {
        rejected(400, chunked("0\r\nX: a\r\n b\r\n\r\n"));
    }

    @Test
    void trailerSectionOverLimitIsRejectedWith431() {
        rejected(431, chunked("0\r\nX: " + "a".repeat(HttpLimits.MAX_TRAILER_BYTES) + "\r\n\r\n"));
    }

    // ------------------------------------------------------------------ characters (RFC 9112 §2-5)

    @Test
    void bareCrInRequestLineIsRejectedWith400() {
        rejected(400, "GET / HTTP/1.1\rHost: x\r\n\r\n");
        rejected(400, "GET /\r HTTP/1.1\r\n" + H + "\r\n");
        rejected(400, "\rGET / HTTP/1.1\r\n" + H + "\r\n");
    }

    @Test
    void bareCrInFieldIsRejectedWith400() {
        rejected(400, "GET / HTTP/1.1\r\n" + H + "X: a\rb\r\n\r\n");
        rejected(400, "GET / HTTP/1.1\r\n" + H + "X: a\r\r\n\r\n");
        rejected(400, "GET / HTTP/1.1\r\n" + H + "\r\r\n");
    }

    @Test
    void nulInRequestLineOrFieldIsRejectedWith400() {
        rejected(400, "GET /\u0000 HTTP/1.1\r\n" + H + "\r\n");
        rejected(400, "GET / HTTP/1.1\r\n" + H + "X: a\u0000b\r\n\r\n");
        rejected(400, "G\u0000T / HTTP/1.1\r\n" + H + "\r\n");
    }

    @Test
    void otherControlCharactersInAFieldAreRejectedWith400() {
        rejected(400, "GET / HTTP/1.1\r\n" + H + "X: a\u000bb\r\n\r\n");
        rejected(400, "GET / HTTP/1.1\r\n" + H + "X: a\u007fb\r\n\r\n");
        rejected(400, "GET / HTTP/1.1\r\n" + H + "Transfer-Encoding:\u000bchunked\r\n\r\n");
    }

    @Test
    void whitespaceBetweenFieldNameAndColonIsRejectedWith400() {
        rejected(400, "GET / HTTP/1.1\r\n" + H + "Transfer-Encoding : chunked\r\n\r\n");
        rejected(400, "GET / HTTP/1.1\r\n" + H + "X\t: a\r\n\r\n");
    }

    @Test
    void obsFoldIsRejectedWith400() {
        rejected(400, "GET / HTTP/1.1\r\n" + H + "X: a\r\n b\r\n\r\n");
        rejected(400, "GET / HTTP/1.1\r\n" + H + "X: a\r\n\tb\r\n\r\n");
    }

    @Test
    void whitespaceBeforeTheFirstFieldIsRejectedWith400() {
        rejected(400, "GET / HTTP/1.1\r\n Transfer-Encoding: chunked\r\n" + H + "\r\n");
    }

    @Test
    void fieldNameThatIsNotATokenIsRejectedWith400() {
        for (String name : List.of("X(y)", "X/Y", "\"X\"", "X@Y", "X[", "é")) {
            rejected(400, "GET / HTTP/1.1\r\n" + H + name + ": v\r\n\r\n");
        }
        rejected(400, "GET / HTTP/1.1\r\n" + H + ": v\r\n\r\n");
    }

    @Test
    void doubleSpaceInRequestLineIsRejectedWith400() {
        rejected(400, "GET  / HTTP/1.1\r\n" + H + "\r\n");
        rejected(400, "GET /  HTTP/1.1\r\n" + H + "\r\n");
    }

    @Test
    void targetOutsideTheUriGrammarIsRejectedWith400() {
        for (String t : List.of("/a b", "/<script>", "/a\\b", "/%zz", "/%4", "a", "//x#frag", "ftp://x/")) {
            rejected(400, "GET " + t + " HTTP/1.1\r\n" + H + "\r\n");
        }
    }

    @Test
    void charactersBrowsersLeaveUnencodedInQueriesAreAccepted() {
        ParseDriver.Result r = req("GET /a|b^c?f={x|y}^`z HTTP/1.1\r\n" + H + "\r\n");
        assertEquals(1, r.messages().size(), r.end());
        rejected(400, "GET /a{b} HTTP/1.1\r\n" + H + "\r\n");
        rejected(400, "GET /?q=\"x\" HTTP/1.1\r\n" + H + "\r\n");
    }

    @Test
    void asteriskFormIsOnlyForOptions() {
        assertEquals(1, req("OPTIONS * HTTP/1.1\r\n" + H + "\r\n").messages().size());
        rejected(400, "GET * HTTP/1.1\r\n" + H + "\r\n");
    }

    @Test
    void connectIsRejectedWith501() {
        rejected(501, "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n");
    }

    // ------------------------------------------------------------------ Host (RFC 9112 §3.2)

    @Test
    void http11WithoutHostIsRejectedWith400() {
        rejected(400, "GET / HTTP/1.1\r\n\r\n");
        rejected(400, "GET http://a/ HTTP/1.1\r\n\r\n");
    }

    @Test
    void severalHostFieldsAreRejectedWith400() {
        rejected(400, "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
        rejected(400, "GET / HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n");
    }

    @Test
    void invalidHostValueIsRejectedWith400() {
        for (String h : List.of("a b", "a/b", "a:b", "a:123456", "[::1", "u@h")) {
            rejected(400, "GET / HTTP/1.1\r\nHost: " + h + "\r\n\r\n");
        }
    }

    // ------------------------------------------------------------------ limits and versions

    @Test
    void requestLineOver8KiBIsRejectedWith414() {
        rejected(414, "GET /" + "a".repeat(HttpLimits.MAX_REQUEST_LINE_BYTES) + " HTTP/1.1\r\n" + H + "\r\n");
    }

    @Test
    void requestLineJustUnderTheLimitIsAccepted() {
        String path = "/" + "a".repeat(HttpLimits.MAX_REQUEST_LINE_BYTES - "GET  HTTP/1.1\r\n".length() - 1);
        ParseDriver.Result r = ParseDriver.request("GET " + path + " HTTP/1.1\r\n" + H + "\r\n");
        assertEquals(1, r.messages().size(), r.end());
    }

    @Test
    void headerSectionOverLimitIsRejectedWith431() {
        String big = ("X-Big: " + "b".repeat(1000) + "\r\n").repeat(33);
        ParseDriver.Result r = ParseDriver.request("GET / HTTP/1.1\r\n" + H + big + "\r\n");
        assertEquals(431, r.errorStatus());
    }

    @Test
    void tooManyFieldsAreRejectedWith431() {
        ParseDriver.Result r = ParseDriver.request("GET / HTTP/1.1\r\n" + H + "A: b\r\n".repeat(HttpLimits.MAX_FIELDS) + "\r\n");
        assertEquals(431, r.errorStatus());
    }

    @Test
    void configuredHeaderLimitIsHonoured() {
        Http1Parser p = new Http1Parser(Http1Parser.Mode.REQUEST, 64);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(("GET / HTTP/1.1\r\n" + H + "X: " + "a".repeat(64) + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(Http1Parser.Event.ERROR, p.next(b, 100));
        assertEquals(431, p.errorStatus());
    }

    @Test
    void unsupportedVersionIsRejectedWith505() {
        rejected(505, "GET / HTTP/2.0\r\n" + H + "\r\n");
        rejected(505, "GET / HTTP/1.2\r\n" + H + "\r\n");
        rejected(505, "GET / HTTP/0.9\r\n" + H + "\r\n");
    }

    @Test
    void malformedVersionIsRejectedWith400() {
        for (String v : List.of("HTTP/1.10", "http/1.1", "HTTP/1", "HTTP/1.1 ", "HTTP/a.b", "HTTPS/1.1")) {
            rejected(400, "GET / " + v + "\r\n" + H + "\r\n");
        }
        rejected(400, "GET /\r\n\r\n");
    }

    // ------------------------------------------------------------------ responses

    @Test
    void responseToHeadHasNoBodyWhateverItsContentLength() {
        ParseDriver.Result r = resp("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
                "HEAD", "GET");
        assertEquals(2, r.messages().size());
        assertEquals("", r.messages().get(0).body());
    }

    @Test
    void status204And304HaveNoBody() {
        ParseDriver.Result r = resp("HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", "GET", "GET");
        assertEquals(2, r.messages().size());
        assertEquals("ok", r.messages().get(1).body());
    }

    @Test
    void interimResponsesAreSeparateMessagesBeforeTheFinalOne() {
        ParseDriver.Result r = resp("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx",
                "POST", "POST");
        assertEquals(2, r.messages().size());
        assertEquals("x", r.messages().get(1).body());
    }

    @Test
    void responseWithoutLengthIsReadUntilClose() {
        ParseDriver.Result r = resp("HTTP/1.1 200 OK\r\n\r\nall of it", "GET");
        assertEquals("EOF", r.end());
        assertEquals("all of it", r.messages().get(0).body());
    }

    @Test
    void responseCutShortIsAnError() {
        assertEquals(502, resp("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", "GET").errorStatus());
        assertEquals(502, resp("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", "GET").errorStatus());
        assertEquals(502, resp("HTTP/1.1 200 OK\r\nX: y", "GET").errorStatus());
    }

    @Test
    void malformedResponsesAreRejectedWith502() {
        for (String bad : List.of("HTTP/1.1 2000 OK\r\n\r\n", "HTTP/1.1 OK\r\n\r\n", "HTTP/2 200 OK\r\n\r\n",
                "SSH-2.0-OpenSSH\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n",
                "HTTP/1.1 200 OK\r\nX : y\r\n\r\n", "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                "HTTP/1.1 099 Low\r\n\r\n", "\r\nHTTP/1.1 200 OK\r\n\r\n")) {
            assertEquals(502, resp(bad, "GET").errorStatus(), bad);
        }
    }

    @Test
    void responseHeadGivesStatusReasonAndFieldsSeparately() {
        ParseDriver.Result r = resp("HTTP/1.1 404 Not Found\r\nContent-Length: 1\r\nX-A: b\r\n\r\nz", "GET");
        assertEquals("HTTP/1.1 404 framing=LENGTH length=1 reason=Not Found [Content-Length=1] [X-A=b]",
                r.messages().get(0).head());
    }

    @Test
    void responseStatusLineWithoutReasonIsAccepted() {
        ParseDriver.Result r = resp("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", "GET");
        assertEquals(1, r.messages().size());
    }
}
