package dev.switchboard.kernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Properties of the parser over generated messages and arbitrary bytes. */
class Http1ParserPropertiesTest {

    /** A generated valid request and what parsing it must give. */
    record Generated(byte[] bytes, String method, String target, String body, int fieldCount) {
        @Override
        public String toString() {
            return new String(bytes, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n\n");
        }
    }

    @Provide
    Arbitrary<Generated> requests() {
        Arbitrary<String> method = Arbitraries.of("GET", "POST", "PUT", "DELETE", "PATCH", "X-CUSTOM");
        Arbitrary<String> segment = Arbitraries.strings().withChars("abcxyz019-._~").ofMinLength(1).ofMaxLength(6)
                .filter(s -> !s.equals(".") && !s.equals(".."));
        Arbitrary<String> path = segment.list().ofMaxSize(4).map(l -> "/" + String.join("/", l));
        Arbitrary<String> query = Arbitraries.strings().withChars("abc=&%20").ofMaxLength(8)
                .filter(q -> !q.contains("%") || q.matches("([^%]|%20)*"));
        Arbitrary<String> name = Arbitraries.strings().withChars("abcXYZ-_!#").ofMinLength(1).ofMaxLength(10)
                .filter(n -> !Set.of("host", "content-length", "transfer-encoding").contains(n.toLowerCase()));
        Arbitrary<String> value = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(20).map(String::strip);
        Arbitrary<List<String>> fields = Combinators.combine(name, value).as((n, v) -> n + ": " + v).list().ofMaxSize(8);
        Arbitrary<String> body = Arbitraries.strings().withCharRange((char) 0, (char) 255).ofMaxLength(300);
        Arbitrary<Integer> framing = Arbitraries.of(0, 1, 2); // none/CL, chunked, chunked with trailers
        Arbitrary<Integer> chunk = Arbitraries.integers().between(1, 40);
        return Combinators.combine(method, path, query, fields, body, framing, chunk, Arbitraries.of(true, false))
                .as((m, p, q, f, b, fr, ch, crlf) -> {
                    String target = q.isEmpty() ? p : p + "?" + q;
                    String eol = crlf ? "\r\n" : "\n";
                    StringBuilder sb = new StringBuilder();
                    sb.append(m).append(' ').append(target).append(" HTTP/1.1").append(eol).append("Host: h.example")
                            .append(eol);
                    for (String field : f) {
                        sb.append(field).append(eol);
                    }
                    if (fr == 0) {
                        if (!b.isEmpty()) {
                            sb.append("Content-Length: ").append(b.length()).append(eol);
                        }
                        sb.append(eol).append(b);
                    } else {
                        sb.append("Transfer-Encoding: chunked").append(eol).append(eol);
                        for (int i = 0; i < b.length(); i += ch) {
                            String piece = b.substring(i, Math.min(b.length(), i + ch));
                            sb.append(Integer.toHexString(piece.length())).append(fr == 2 ? ";e=\"v\"" : "")
                                    .append("\r\n").append(piece).append("\r\n");
                        }
                        sb.append("0\r\n").append(fr == 2 ? "T: 1\r\n" : "").append("\r\n");
                    }
                    int count = 1 + f.size() + (fr == 0 && b.isEmpty() ? 0 : 1);
                    return new Generated(sb.toString().getBytes(StandardCharsets.ISO_8859_1), m, target, b, count);
                });
    }

    @Provide
    Arbitrary<List<Integer>> splits() {
        return Arbitraries.integers().between(0, 2000).list().ofMaxSize(6);
    }

    static int[] cuts(List<Integer> splits, int length) {
        return splits.stream().mapToInt(i -> length == 0 ? 0 : i % (length + 1)).toArray();
    }

    @Property(tries = 400)
    void anyValidRequestSplitAtRandomPointsParsesToTheSameMessage(@ForAll("requests") Generated g,
                                                                  @ForAll("splits") List<Integer> splits) {
        ParseDriver.Result whole = ParseDriver.request(g.bytes(), new int[0]);
        ParseDriver.Result split = ParseDriver.request(g.bytes(), cuts(splits, g.bytes().length));
        assertEquals(whole, split);
        assertEquals("BOUNDARY", whole.end());
        assertEquals(1, whole.messages().size());
        ParseDriver.Message m = whole.messages().get(0);
        assertTrue(m.head().startsWith(g.method() + " " + g.target() + " HTTP/1.1 "), m.head());
        assertEquals(g.body(), m.body());
    }

    @Property(tries = 300)
    void twoPipelinedRequestsSplitAnywhereGiveTwoMessages(@ForAll("requests") Generated a,
                                                         @ForAll("requests") Generated b,
                                                         @ForAll("splits") List<Integer> splits) {
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.writeBytes(a.bytes());
        both.writeBytes(b.bytes());
        byte[] bytes = both.toByteArray();
        ParseDriver.Result r = ParseDriver.request(bytes, cuts(splits, bytes.length));
        assertEquals(2, r.messages().size(), r.toString());
        assertEquals(a.body(), r.messages().get(0).body());
        assertEquals(b.body(), r.messages().get(1).body());
    }

    @Provide
    Arbitrary<byte[]> junk() {
        Arbitrary<String> prefix = Arbitraries.of("", "GET / HTTP/1.1\r\nHost: x\r\n",
                "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\n", "HTTP/1.1 200 OK\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        Arbitrary<byte[]> tail = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(600),
                Arbitraries.strings().withChars("\r\n :;0123456789abcdefGHTP/.\t\u0000xX-").ofMaxLength(400)
                        .map(s -> s.getBytes(StandardCharsets.ISO_8859_1)));
        return Combinators.combine(prefix, tail).as((p, t) -> {
            byte[] pb = p.getBytes(StandardCharsets.ISO_8859_1);
            byte[] out = new byte[pb.length + t.length];
            System.arraycopy(pb, 0, out, 0, pb.length);
            System.arraycopy(t, 0, out, pb.length, t.length);
            return out;
        });
    }

    @Property(tries = 1000)
    void arbitraryBytesNeverThrowAndEndInADefinedResult(@ForAll("junk") byte[] bytes,
                                                       @ForAll("splits") List<Integer> splits) {
        int[] cuts = cuts(splits, bytes.length);
        ParseDriver.Result asRequest = ParseDriver.request(bytes, cuts);
        assertTrue(Set.of("BOUNDARY", "PARTIAL").contains(asRequest.end())
                || Set.of(400, 414, 431, 501, 505).contains(asRequest.errorStatus()), asRequest.end());
        assertEquals(asRequest, ParseDriver.request(bytes, new int[0]), "split-independent");
        ParseDriver.Result asResponse = ParseDriver.response(bytes, cuts, true, "GET", "GET", "GET", "GET");
        assertTrue(asResponse.end().equals("EOF") || asResponse.errorStatus() == 502, asResponse.end());
    }

    @Property(tries = 200)
    void arbitraryFieldLinesNeverThrow(@ForAll @Size(max = 40) List<@Size(max = 30) String> lines) {
        StringBuilder sb = new StringBuilder("GET / HTTP/1.1\r\nHost: x\r\n");
        for (String l : lines) {
            sb.append(l).append("\r\n");
        }
        sb.append("\r\n");
        byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
        ParseDriver.Result r = ParseDriver.request(b, new int[0]);
        assertTrue(r.end().equals("BOUNDARY") || r.errorStatus() >= 400, r.end());
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < b.length; i += 7) {
            all.add(i);
        }
        assertEquals(r, ParseDriver.request(b, all.stream().mapToInt(Integer::intValue).toArray()));
    }
}
