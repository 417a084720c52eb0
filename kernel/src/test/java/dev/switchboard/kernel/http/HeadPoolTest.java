package dev.switchboard.kernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Heads are lent by a loop's pool and reused from message to message (with the strings of the message before):
 * what a reused head says must always be what a fresh parser says of the same bytes.
 */
class HeadPoolTest {

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static HttpHead parseHead(Http1Parser p, String message) {
        ByteBuffer in = bytes(message);
        assertEquals(Http1Parser.Event.HEAD, p.next(in, Long.MAX_VALUE));
        return p.head();
    }

    private static void finish(Http1Parser p, String message) {
        // a message without a body: its end is reported without more input
        assertEquals(Http1Parser.Event.MESSAGE_END, p.next(ByteBuffer.allocate(0), Long.MAX_VALUE));
    }

    @Test
    void anIdleParserHoldsNoHeadAndTheNextMessageReusesTheSameStorage() {
        HeadPool pool = new HeadPool();
        Http1Parser p = new Http1Parser(Http1Parser.Mode.REQUEST, HttpLimits.DEFAULT_MAX_HEADER_BYTES, pool);
        String req = "GET /a?x=1 HTTP/1.1\r\nHost: shop.example:8080\r\nAccept: */*\r\n\r\n";
        HttpHead first = parseHead(p, req);
        String host = first.header("Host");
        String target = first.target();
        RequestTarget parsed = first.requestTarget();
        finish(p, req);
        assertEquals(0, pool.pooled());
        p.forgetHead();
        assertEquals(1, pool.pooled(), "the head went back to the pool");

        HttpHead second = parseHead(p, req);
        assertSame(first, second, "the same storage serves the next request");
        assertEquals(0, pool.pooled());
        assertSame(host, second.header("Host"), "equal bytes: the string of the request before, no copy");
        assertSame(target, second.target());
        assertSame(parsed, second.requestTarget());
        assertEquals("shop.example", second.canonicalHost(second.header("Host")));
        finish(p, req);
        p.forgetHead();

        HttpHead third = parseHead(p, "GET /b HTTP/1.1\r\nHost: other.example\r\nAccept: */*\r\n\r\n");
        assertNotSame(host, third.header("Host"));
        assertEquals("other.example", third.header("Host"));
        assertEquals("/b", third.target());
        assertEquals("/b", third.requestTarget().path());
        assertEquals("", third.requestTarget().query());
        assertEquals("other.example", third.canonicalHost(third.header("Host")));
    }

    @Test
    void aLargeHeadDoesNotKeepItsLargeArraysInThePool() {
        HeadPool pool = new HeadPool();
        Http1Parser p = new Http1Parser(Http1Parser.Mode.REQUEST, HttpLimits.DEFAULT_MAX_HEADER_BYTES, pool);
        String big = "GET / HTTP/1.1\r\nHost: x\r\nCookie: " + "c".repeat(20_000) + "\r\n\r\n";
        HttpHead h = parseHead(p, big);
        assertEquals(20_000, h.header("Cookie").length());
        finish(p, big);
        p.forgetHead();
        assertEquals(HttpHead.INITIAL_BYTES, h.bytes.length);
    }

    @Test
    void trailersDoNotOverwriteTheHeadOfTheirMessage() {
        HeadPool pool = new HeadPool();
        Http1Parser p = new Http1Parser(Http1Parser.Mode.REQUEST, HttpLimits.DEFAULT_MAX_HEADER_BYTES, pool);
        ByteBuffer in = bytes("POST /upload HTTP/1.1\r\nHost: up.example\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3\r\nabc\r\n0\r\nX-Checksum: 42\r\nX-Other: zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz\r\n\r\n");
        assertEquals(Http1Parser.Event.HEAD, p.next(in, Long.MAX_VALUE));
        HttpHead head = p.head();
        assertEquals(Http1Parser.Event.CONTENT, p.next(in, Long.MAX_VALUE));
        assertEquals(Http1Parser.Event.MESSAGE_END, p.next(in, Long.MAX_VALUE));
        assertEquals(2, p.trailerCount());
        assertEquals("42", p.trailerValue(0));
        assertEquals("up.example", head.header("Host"), "the head is intact after its trailers were read");
        assertEquals("POST /upload HTTP/1.1", head.toString());
    }

    /** A request of the sequence: host and target drawn from few values, so that reuse is exercised often. */
    record Step(String host, String target, String extra, boolean response) {
    }

    @Provide
    Arbitrary<List<Step>> sequences() {
        Arbitrary<String> host = Arbitraries.of("a.example", "b.example", "a.example:81", "A.EXAMPLE", "[::1]:8080");
        Arbitrary<String> target = Arbitraries.of("/", "/a", "/a?x=1", "/a?x=2", "/b/../a", "/%7Eu", "http://c.example/z?q");
        Arbitrary<String> extra = Arbitraries.strings().withChars("abc xyz").ofMaxLength(6).map(String::strip);
        return Combinators.combine(host, target, extra, Arbitraries.of(true, false)).as(Step::new).list()
                .ofMinSize(1).ofMaxSize(12);
    }

    private static String request(Step s) {
        return "GET " + s.target() + " HTTP/1.1\r\nHost: " + s.host() + "\r\nX-Extra: " + s.extra() + "\r\n\r\n";
    }

    private static String response(Step s) {
        return "HTTP/1.1 200 OK\r\nX-Host: " + s.host() + "\r\nContent-Length: 0\r\n\r\n";
    }

    @Property(tries = 300)
    void aReusedHeadAlwaysDescribesItsOwnMessage(@ForAll("sequences") List<Step> steps) {
        HeadPool shared = new HeadPool();
        Http1Parser requests = new Http1Parser(Http1Parser.Mode.REQUEST, HttpLimits.DEFAULT_MAX_HEADER_BYTES, shared);
        Http1Parser responses = new Http1Parser(Http1Parser.Mode.RESPONSE, HttpLimits.DEFAULT_MAX_HEADER_BYTES, shared);
        List<String> seen = new ArrayList<>();
        List<String> fresh = new ArrayList<>();
        for (Step s : steps) {
            String text = s.response() ? response(s) : request(s);
            Http1Parser p = s.response() ? responses : requests;
            Http1Parser alone = new Http1Parser(s.response() ? Http1Parser.Mode.RESPONSE : Http1Parser.Mode.REQUEST);
            HttpHead h = parseHead(p, text);
            seen.add(ParseDriver.describe(h) + " query=" + (h.requestTarget() == null ? "-" : h.requestTarget().query())
                    + " canonical=" + (s.response() ? "-" : h.canonicalHost(h.header("Host"))));
            HttpHead f = parseHead(alone, text);
            fresh.add(ParseDriver.describe(f) + " query=" + (f.requestTarget() == null ? "-" : f.requestTarget().query())
                    + " canonical=" + (s.response() ? "-" : RequestTarget.canonicalHost(f.header("Host"))));
            finish(p, text);
            p.forgetHead();
        }
        assertEquals(fresh, seen);
    }
}
