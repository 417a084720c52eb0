package dev.switchboard.kernel.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The head of one parsed request or response: start line, header fields as received (names as sent, values with
 * surrounding whitespace removed), and the body framing the parser derived from them. Filled by {@link Http1Parser};
 * owned by the connection that parsed it and used only on its event loop.
 *
 * <p>Fields are kept as the bytes received plus offsets; a field's name or value becomes a {@code String} only when
 * asked for ({@link #name(int)}, {@link #value(int)}, {@link #header(String)}). Comparisons and forwarding work on the
 * bytes, so proxying a request builds no string per field.
 *
 * <p><b>Lifetime.</b> A head is storage lent by the loop's {@link HeadPool}: it describes its message from the
 * parser's {@link Http1Parser.Event#HEAD} until the consumer calls {@link Http1Parser#forgetHead()} or the parser
 * begins its next message, and is then reused for another message. Nothing may keep it longer (the SPI's
 * {@code RequestView} contract: valid for the call only). Strings it made for its last message are kept and handed
 * out again when the same bytes come back, so the Host and target of a keep-alive client cost no copy per request.
 */
public final class HttpHead {
    static final int INITIAL_BYTES = 512;
    static final int INITIAL_MARKS = 4 * 16;
    /** A head grown past these by a large message gets fresh default-size arrays when recycled. */
    static final int MAX_KEPT_BYTES = 4096;
    static final int MAX_KEPT_MARKS = 4 * 64;

    private String method;
    private String target;
    private int versionMinor;
    private int status;
    private String reason;
    byte[] bytes = new byte[INITIAL_BYTES];
    int[] marks = new int[INITIAL_MARKS]; // per field: nameStart, nameEnd, valueStart, valueEnd
    private int fieldCount;
    private BodyFraming framing;
    private long contentLength;
    private RequestTarget parsedTarget;
    private String[] names;
    private String[] values;
    /** The value strings of the message before, handed out again for equal bytes at the same index. */
    private String[] previousValues;
    private String hostKey;
    private String canonicalHost;

    HttpHead() {
    }

    /**
     * Starts describing a new message whose {@code fieldCount} fields are in {@link #bytes} and {@link #marks}: from
     * here {@link #value(int)} and the field queries work; {@link #describe} completes the head.
     */
    void fields(int count) {
        fieldCount = count;
        String[] last = values;
        values = previousValues;
        previousValues = last;
        if (values != null) {
            Arrays.fill(values, null);
        }
        if (names != null) {
            Arrays.fill(names, null);
        }
    }

    void describe(String method, String target, int versionMinor, int status, String reason, BodyFraming framing,
                  long contentLength, RequestTarget parsedTarget) {
        this.method = method;
        this.target = target;
        this.versionMinor = versionMinor;
        this.status = status;
        this.reason = reason;
        this.framing = framing;
        this.contentLength = contentLength;
        this.parsedTarget = parsedTarget;
    }

    /** Back to the pool: a large message's arrays are dropped; strings are kept for reuse. */
    void recycle() {
        if (bytes.length > MAX_KEPT_BYTES) {
            bytes = new byte[INITIAL_BYTES];
        }
        if (marks.length > MAX_KEPT_MARKS) {
            marks = new int[INITIAL_MARKS];
            names = null;
            values = null;
            previousValues = null;
        }
    }

    /** True if bytes {@code from} to {@code to} are the text of {@code s} (Latin-1). */
    boolean sameText(String s, int from, int to) {
        if (s == null || s.length() != to - from) {
            return false;
        }
        for (int k = from; k < to; k++) {
            if ((bytes[k] & 0xff) != s.charAt(k - from)) {
                return false;
            }
        }
        return true;
    }

    /** Request method, or null for a response. */
    public String method() {
        return method;
    }

    /** Request target exactly as sent, or null for a response. */
    public String target() {
        return target;
    }

    /** The parsed and normalized request target, or null for a response. */
    public RequestTarget requestTarget() {
        return parsedTarget;
    }

    /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
    public int versionMinor() {
        return versionMinor;
    }

    /** Response status code, or 0 for a request. */
    public int status() {
        return status;
    }

    /** Response reason phrase (possibly empty), or null for a request. */
    public String reason() {
        return reason;
    }

    public int fieldCount() {
        return fieldCount;
    }

    /** The name of field {@code i} as sent. */
    public String name(int i) {
        if (names == null || names.length < fieldCount) {
            names = new String[Math.max(fieldCount, 8)];
        }
        String n = names[i];
        if (n == null) {
            n = names[i] = new String(bytes, marks[4 * i], marks[4 * i + 1] - marks[4 * i], StandardCharsets.ISO_8859_1);
        }
        return n;
    }

    /** The value of field {@code i}, without surrounding whitespace. */
    public String value(int i) {
        if (values == null || values.length < fieldCount) {
            values = values == null ? new String[Math.max(fieldCount, 8)] : Arrays.copyOf(values, fieldCount);
        }
        String v = values[i];
        if (v == null) {
            int s = marks[4 * i + 2];
            int e = marks[4 * i + 3];
            String last = previousValues != null && i < previousValues.length ? previousValues[i] : null;
            v = values[i] = sameText(last, s, e) ? last : new String(bytes, s, e - s, StandardCharsets.ISO_8859_1);
        }
        return v;
    }

    /**
     * The canonical host of {@code authority} ({@link RequestTarget#canonicalHost}), remembered for the next message:
     * a keep-alive client sends the same Host each time, and {@link #value(int)} returns the same string for it.
     */
    public String canonicalHost(String authority) {
        if (authority != hostKey) {
            canonicalHost = RequestTarget.canonicalHost(authority);
            hostKey = authority;
        }
        return canonicalHost;
    }

    /** True if field {@code i} is named {@code name} (ASCII case-insensitive). No allocation. */
    public boolean nameIs(int i, String name) {
        int s = marks[4 * i];
        int len = marks[4 * i + 1] - s;
        return len == name.length() && equalsIgnoreCase(bytes, s, name, 0, len);
    }

    /** Appends field {@code i}'s name as sent. */
    public void copyName(int i, ByteSink sink) {
        sink.write(bytes, marks[4 * i], marks[4 * i + 1] - marks[4 * i]);
    }

    /** Appends field {@code i}'s value. */
    public void copyValue(int i, ByteSink sink) {
        sink.write(bytes, marks[4 * i + 2], marks[4 * i + 3] - marks[4 * i + 2]);
    }

    /** Where {@link #copyName} and {@link #copyValue} write. */
    public interface ByteSink {
        void write(byte[] b, int off, int len);
    }

    private static boolean equalsIgnoreCase(byte[] b, int off, String s, int soff, int len) {
        for (int k = 0; k < len; k++) {
            int x = b[off + k] & 0xff;
            int y = s.charAt(soff + k);
            if (x != y && lower(x) != lower(y)) {
                return false;
            }
        }
        return true;
    }

    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }

    /** First value of field {@code name} (case-insensitive), or null. */
    public String header(String name) {
        for (int i = 0; i < fieldCount; i++) {
            if (nameIs(i, name)) {
                return value(i);
            }
        }
        return null;
    }

    /** Every value of field {@code name} in order (case-insensitive). */
    public List<String> headers(String name) {
        List<String> out = new ArrayList<>(2);
        for (int i = 0; i < fieldCount; i++) {
            if (nameIs(i, name)) {
                out.add(value(i));
            }
        }
        return out;
    }

    /** True if some value of the list-valued field {@code name} contains the token {@code token} (case-insensitive). */
    public boolean hasToken(String name, String token) {
        for (int i = 0; i < fieldCount; i++) {
            if (nameIs(i, name) && valueHasToken(i, token, 0, token.length())) {
                return true;
            }
        }
        return false;
    }

    /**
     * True if some value of the list-valued field {@code listName} (such as Connection) names field {@code i}, so
     * that field is hop-by-hop (RFC 9110 §7.6.1). No allocation.
     */
    public boolean listedIn(String listName, int i) {
        int ns = marks[4 * i];
        int nLen = marks[4 * i + 1] - ns;
        for (int j = 0; j < fieldCount; j++) {
            if (!nameIs(j, listName)) {
                continue;
            }
            int k = marks[4 * j + 2];
            int end = marks[4 * j + 3];
            while (k <= end) {
                int comma = k;
                while (comma < end && bytes[comma] != ',') {
                    comma++;
                }
                int s = k;
                int e = comma;
                while (s < e && (bytes[s] == ' ' || bytes[s] == '\t')) {
                    s++;
                }
                while (e > s && (bytes[e - 1] == ' ' || bytes[e - 1] == '\t')) {
                    e--;
                }
                if (e - s == nLen && bytesEqualIgnoreCase(s, ns, nLen)) {
                    return true;
                }
                k = comma + 1;
            }
        }
        return false;
    }

    private boolean bytesEqualIgnoreCase(int a, int b, int len) {
        for (int k = 0; k < len; k++) {
            int x = bytes[a + k] & 0xff;
            int y = bytes[b + k] & 0xff;
            if (x != y && lower(x) != lower(y)) {
                return false;
            }
        }
        return true;
    }

    private boolean valueHasToken(int field, String token, int tOff, int tLen) {
        int k = marks[4 * field + 2];
        int end = marks[4 * field + 3];
        while (k <= end) {
            int comma = k;
            while (comma < end && bytes[comma] != ',') {
                comma++;
            }
            int s = k;
            int e = comma;
            while (s < e && (bytes[s] == ' ' || bytes[s] == '\t')) {
                s++;
            }
            while (e > s && (bytes[e - 1] == ' ' || bytes[e - 1] == '\t')) {
                e--;
            }
            if (e - s == tLen && equalsIgnoreCase(bytes, s, token, tOff, tLen)) {
                return true;
            }
            k = comma + 1;
        }
        return false;
    }

    /** True if the comma-separated list {@code list} contains {@code token}, compared case-insensitively. */
    public static boolean containsToken(String list, String token) {
        int n = list.length();
        int i = 0;
        while (i < n) {
            int comma = list.indexOf(',', i);
            int end = comma < 0 ? n : comma;
            int s = i;
            int e = end;
            while (s < e && (list.charAt(s) == ' ' || list.charAt(s) == '\t')) {
                s++;
            }
            while (e > s && (list.charAt(e - 1) == ' ' || list.charAt(e - 1) == '\t')) {
                e--;
            }
            if (e - s == token.length() && list.regionMatches(true, s, token, 0, token.length())) {
                return true;
            }
            i = end + 1;
        }
        return false;
    }

    public BodyFraming framing() {
        return framing;
    }

    /**
     * The Content-Length of a request that had one (0 included), or of a response whose body it frames; else -1.
     */
    public long contentLength() {
        return contentLength;
    }

    /** True if a request's connection stays open after its exchange (RFC 9112 §9.3), ignoring the response. */
    public boolean requestKeepAlive() {
        if (hasToken("Connection", "close")) {
            return false;
        }
        return versionMinor >= 1 || hasToken("Connection", "keep-alive");
    }

    @Override
    public String toString() {
        return method != null ? method + " " + target + " HTTP/1." + versionMinor : "HTTP/1." + versionMinor + " " + status;
    }
}
