package dev.switchboard.kernel.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Feeds bytes to a parser in pieces, as a connection would (unconsumed bytes kept, more appended), and records what
 * came out in a form that does not depend on where the input was split.
 */
final class ParseDriver {

    /** One parsed message: head (as text), body bytes, trailers. */
    record Message(String head, String body, List<String> trailers) {
    }

    /** Everything the parser produced: complete messages, then how it stopped. */
    record Result(List<Message> messages, String end) {
        int errorStatus() {
            return end.startsWith("ERROR ") ? Integer.parseInt(end.substring(6, 9)) : 0;
        }
    }

    private final Http1Parser parser;
    private final List<String> methods;
    private final int maxContent;

    ParseDriver(Http1Parser.Mode mode, int maxContent, String... responseMethods) {
        this.parser = new Http1Parser(mode);
        this.methods = new ArrayList<>(List.of(responseMethods));
        this.maxContent = maxContent;
    }

    static Result request(String text) {
        return request(text.getBytes(StandardCharsets.ISO_8859_1), new int[0]);
    }

    static Result request(byte[] bytes, int[] splits) {
        return new ParseDriver(Http1Parser.Mode.REQUEST, 7).run(bytes, splits, false);
    }

    static Result response(String text, String... methods) {
        return new ParseDriver(Http1Parser.Mode.RESPONSE, 7, methods).run(text.getBytes(StandardCharsets.ISO_8859_1),
                new int[0], true);
    }

    static Result response(byte[] bytes, int[] splits, boolean eof, String... methods) {
        return new ParseDriver(Http1Parser.Mode.RESPONSE, 7, methods).run(bytes, splits, eof);
    }

    Result run(byte[] bytes, int[] splits, boolean endOfInput) {
        int[] cuts = Arrays.copyOf(splits, splits.length + 1);
        cuts[splits.length] = bytes.length;
        Arrays.sort(cuts);
        ByteBuffer buf = ByteBuffer.allocate(bytes.length + 16);
        buf.flip();
        List<Message> messages = new ArrayList<>();
        String head = null;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int from = 0;
        if (!methods.isEmpty()) {
            parser.expectResponseTo(methods.remove(0));
        }
        for (int cut : cuts) {
            cut = Math.max(from, Math.min(cut, bytes.length));
            buf.compact();
            buf.put(bytes, from, cut - from);
            buf.flip();
            from = cut;
            while (true) {
                Http1Parser.Event e = parser.next(buf, maxContent);
                switch (e) {
                    case NEED_MORE -> {
                    }
                    case HEAD -> head = describe(parser.head());
                    case CONTENT -> body.write(buf.array(), parser.contentStart(), parser.contentLength());
                    case MESSAGE_END -> {
                        messages.add(new Message(head, body.toString(StandardCharsets.ISO_8859_1),
                                List.of(parser.trailers())));
                        head = null;
                        body.reset();
                        if (!methods.isEmpty()) {
                            parser.expectResponseTo(methods.remove(0));
                        }
                    }
                    case ERROR -> {
                        return new Result(messages, "ERROR " + parser.errorStatus());
                    }
                }
                if (e == Http1Parser.Event.NEED_MORE) {
                    break;
                }
            }
        }
        if (endOfInput) {
            Http1Parser.Event e = parser.endOfInput();
            if (e == Http1Parser.Event.MESSAGE_END) {
                messages.add(new Message(head, body.toString(StandardCharsets.ISO_8859_1), List.of()));
                return new Result(messages, "EOF");
            }
            return new Result(messages, e == Http1Parser.Event.ERROR ? "ERROR " + parser.errorStatus() : "EOF");
        }
        return new Result(messages, parser.atMessageBoundary() ? "BOUNDARY" : "PARTIAL");
    }

    static String describe(HttpHead h) {
        StringBuilder sb = new StringBuilder(h.toString());
        sb.append(" framing=").append(h.framing()).append(" length=").append(h.contentLength());
        if (h.requestTarget() != null) {
            sb.append(" path=").append(h.requestTarget().path()).append(" authority=").append(h.requestTarget().authority());
        }
        if (h.reason() != null) {
            sb.append(" reason=").append(h.reason());
        }
        for (int i = 0; i < h.fieldCount(); i++) {
            sb.append(" [").append(h.name(i)).append('=').append(h.value(i)).append(']');
        }
        return sb.toString();
    }
}
