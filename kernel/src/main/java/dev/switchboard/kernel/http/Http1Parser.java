package dev.switchboard.kernel.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The one HTTP/1.1 parser, for requests and responses: an incremental state machine over whatever bytes have
 * arrived, giving the same result however the input is split (at any byte), strict as RFC 9112 asks.
 *
 * <p><b>Use.</b> Call {@link #next(ByteBuffer, long)} with the bytes received so far (the buffer in read mode); it
 * consumes what it can and returns one {@link Event}:
 * <ul>
 *   <li>{@link Event#NEED_MORE}: every byte consumed, nothing to report; call again when more arrived;</li>
 *   <li>{@link Event#HEAD}: the head is complete, see {@link #head()}; the body follows;</li>
 *   <li>{@link Event#CONTENT}: body bytes {@link #contentStart()} to {@code contentStart() + contentLength()} of
 *       the buffer (already consumed: the buffer's position is past them), at most {@code maxContent} of them,
 *       without any chunk framing;</li>
 *   <li>{@link Event#MESSAGE_END}: the message is complete (trailers, if any, in {@link #trailers()}); the parser
 *       is ready for the next message, which it reads only when called again;</li>
 *   <li>{@link Event#ERROR}: the message is malformed; {@link #errorStatus()} is the status to answer (400, 414, 431,
 *       501, 505 for a request; always 502 for a response) and {@link #errorReason()} says why. Sticky.</li>
 * </ul>
 * A caller with no room for body bytes does not call (a {@code maxContent} of 0 returns {@link Event#NEED_MORE}
 * without consuming). In response mode, {@link #expectResponseTo(String)} gives the method of the request being
 * answered, so that HEAD, 1xx, 204 and 304 responses are framed right. At end of input, {@link #endOfInput()} says
 * whether a close-delimited body ended or the message was cut short.
 *
 * <p><b>Strictness</b> (RFC 9112; no lenience): single SP between start-line parts; CRLF or bare LF ends a head line
 * (§2.2), a bare CR anywhere is an error, chunk lines need exact CRLF (§7.1); NUL and other CTLs in a start line or
 * field are refused; no whitespace between a field name and its colon (§5.1); no obs-fold (§5.2); field names are
 * tokens; Content-Length with Transfer-Encoding, differing or malformed Content-Length, Transfer-Encoding in
 * HTTP/1.0 or with an unknown coding are refused (§6.1-6.3); HTTP/1.1 requests need exactly one Host (RFC 9112
 * §3.2). Limits are in {@link HttpLimits}.
 *
 * <p>Not thread-safe: one parser per connection direction, used on its event loop.
 */
public final class Http1Parser {

    /** Which kind of message this parser reads. */
    public enum Mode { REQUEST, RESPONSE }

    /** What {@link #next} found. */
    public enum Event { NEED_MORE, HEAD, CONTENT, MESSAGE_END, ERROR }

    enum State {
        START, START_LF, METHOD, TARGET, VERSION, VERSION_LF,
        RESPONSE_VERSION, STATUS_CODE, REASON, REASON_LF,
        FIELD_START, FIELD_NAME, FIELD_OWS, FIELD_VALUE, FIELD_LF, HEAD_END_LF,
        BODY_LENGTH, CHUNK_SIZE_START, CHUNK_SIZE, CHUNK_SIZE_WS, CHUNK_EXTENSION, CHUNK_LINE_LF,
        CHUNK_DATA, CHUNK_DATA_CR, CHUNK_DATA_LF, BODY_UNTIL_CLOSE, END_PENDING, ERROR
    }

    // Byte classes (RFC 9110 §5.6.2 tchar, §5.5 field-vchar/obs-text).
    private static final byte TCHAR = 1;
    private static final byte VCHAR = 2;
    private static final byte SP = 3;
    private static final byte HTAB = 4;
    private static final byte CR = 5;
    private static final byte LF = 6;
    private static final byte CTL = 7;
    private static final byte OBS_TEXT = 8;
    private static final byte[] CLASS = new byte[256];

    static {
        Arrays.fill(CLASS, 0, 32, CTL);
        CLASS[127] = CTL;
        Arrays.fill(CLASS, 128, 256, OBS_TEXT);
        for (int c = 33; c < 127; c++) {
            CLASS[c] = VCHAR;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            CLASS[c] = TCHAR;
        }
        for (int c = 'A'; c <= 'Z'; c++) {
            CLASS[c] = TCHAR;
        }
        for (int c = '0'; c <= '9'; c++) {
            CLASS[c] = TCHAR;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            CLASS[c] = TCHAR;
        }
        CLASS[' '] = SP;
        CLASS['\t'] = HTAB;
        CLASS['\r'] = CR;
        CLASS['\n'] = LF;
    }

    private static final String[] NO_TRAILERS = new String[0];

    private final Mode mode;
    private final int maxHeaderBytes;
    private State state = State.START;

    // The head as it arrives: start-line parts and field lines copied into the arrays of a head borrowed from the
    // pool (work), positions recorded. Null between messages, so an idle connection holds no head storage.
    private final HeadPool pool;
    private HttpHead work;
    private byte[] scratch;
    private int len;
    private int mark1;
    private int mark2;
    private int reasonEnd;
    private int[] fieldMarks; // per field: nameStart, nameEnd, valueStart, valueEnd
    private int fieldCount;
    private int valueEnd;
    private int lineBytes;
    private int sectionBytes;
    private boolean inTrailers;
    private boolean started;
    private int versionMinor;
    private int status;

    private String requestMethod = "GET";
    private HttpHead head;
    private long remaining;
    private long chunkSize;
    private int chunkDigits;
    private int extensionBytes;
    private String[] trailerNames;
    private String[] trailerValues;
    private int trailerCount;

    private int contentStart;
    private int contentLength;
    private int errorStatus;
    private String errorReason;

    public Http1Parser(Mode mode, int maxHeaderBytes) {
        this(mode, maxHeaderBytes, new HeadPool());
    }

    /**
     * A parser whose heads (and scan buffer) come from {@code pool}, which it shares with every other parser used by
     * the same single thread. An event loop passes its one pool, so an idle connection keeps no head storage.
     */
    public Http1Parser(Mode mode, int maxHeaderBytes, HeadPool pool) {
        this.mode = mode;
        this.maxHeaderBytes = maxHeaderBytes;
        this.pool = pool;
        this.scan = pool.scan;
    }

    public Http1Parser(Mode mode) {
        this(mode, HttpLimits.DEFAULT_MAX_HEADER_BYTES);
    }

    /** The method of the request the next response answers (response mode). */
    public void expectResponseTo(String method) {
        this.requestMethod = method;
    }

    public HttpHead head() {
        return head;
    }

    /**
     * Gives the last head back to the pool: the caller is done with it and keeps no reference to it (nor to anything
     * that reads it). A connection idle between requests then holds no head storage. The parser also gives a head
     * back by itself when its next message begins.
     */
    public void forgetHead() {
        if (head != null) {
            pool.give(head);
            head = null;
        }
    }

    /** Borrows storage for a head or trailer section being read. */
    private void takeWork() {
        work = pool.take();
        scratch = work.bytes;
        fieldMarks = work.marks;
    }

    private void releaseWork() {
        if (work != null) {
            pool.give(work);
            work = null;
            scratch = null;
            fieldMarks = null;
        }
    }

    public int contentStart() {
        return contentStart;
    }

    public int contentLength() {
        return contentLength;
    }

    public int errorStatus() {
        return errorStatus;
    }

    public String errorReason() {
        return errorReason;
    }

    /** Trailer fields of the message just ended, as name/value pairs; empty if none. */
    public int trailerCount() {
        return trailerCount;
    }

    public String trailerName(int i) {
        return trailerNames[i];
    }

    public String trailerValue(int i) {
        return trailerValues[i];
    }

    /** Kept for symmetry with {@link #trailerCount()}: the trailer names and values as alternating entries. */
    public String[] trailers() {
        if (trailerCount == 0) {
            return NO_TRAILERS;
        }
        String[] out = new String[trailerCount * 2];
        for (int i = 0; i < trailerCount; i++) {
            out[2 * i] = trailerNames[i];
            out[2 * i + 1] = trailerValues[i];
        }
        return out;
    }

    /** True between messages: no byte of a next message has been consumed (empty lines aside). */
    public boolean atMessageBoundary() {
        return state == State.START && !started;
    }

    /** True once the head was returned and the body is still being read. */
    public boolean inBody() {
        return switch (state) {
            case BODY_LENGTH, CHUNK_SIZE_START, CHUNK_SIZE, CHUNK_SIZE_WS, CHUNK_EXTENSION, CHUNK_LINE_LF, CHUNK_DATA,
                    CHUNK_DATA_CR, CHUNK_DATA_LF, BODY_UNTIL_CLOSE, END_PENDING -> true;
            case FIELD_START, FIELD_NAME, FIELD_OWS, FIELD_VALUE, FIELD_LF, HEAD_END_LF -> inTrailers;
            default -> false;
        };
    }

    /** True when the message is complete and only its end remains to be reported (no more input needed). */
    public boolean bodyEndsWithoutInput() {
        return state == State.END_PENDING;
    }

    /**
     * The peer closed its side. Returns {@link Event#MESSAGE_END} if that ends a close-delimited body,
     * {@link Event#NEED_MORE} if the parser was between messages (a clean close), else {@link Event#ERROR} (the
     * message was cut short).
     */
    public Event endOfInput() {
        if (state == State.BODY_UNTIL_CLOSE || state == State.END_PENDING) {
            reset();
            return Event.MESSAGE_END;
        }
        if (atMessageBoundary()) {
            return Event.NEED_MORE;
        }
        if (state != State.ERROR) {
            fail(400, "connection closed before the message was complete");
        }
        return Event.ERROR;
    }

    /** Forgets the current message and any error (used when a connection is reused for a fresh exchange). */
    public void reset() {
        state = State.START;
        len = 0;
        fieldCount = 0;
        lineBytes = 0;
        sectionBytes = 0;
        inTrailers = false;
        started = false;
        errorStatus = 0;
        errorReason = null;
        releaseWork();
    }

    private Event fail(int status, String reason) {
        state = State.ERROR;
        errorStatus = mode == Mode.RESPONSE ? 502 : status;
        errorReason = reason;
        return Event.ERROR;
    }

    private void store(byte b) {
        if (len == scratch.length) {
            scratch = work.bytes = Arrays.copyOf(scratch, scratch.length * 2);
        }
        scratch[len++] = b;
    }

    private String str(int from, int to) {
        return new String(scratch, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /** Parses from {@code in}; see the class comment. */
    public Event next(ByteBuffer in, long maxContent) {
        if (state == State.START) {
            trailerCount = 0; // the previous message's trailers were read by now
        }
        while (true) {
            switch (state) {
                case ERROR:
                    return Event.ERROR;
                case END_PENDING:
                    reset();
                    return Event.MESSAGE_END;
                case BODY_LENGTH:
                case CHUNK_DATA:
                case BODY_UNTIL_CLOSE: {
                    if (maxContent <= 0 || !in.hasRemaining()) {
                        return Event.NEED_MORE;
                    }
                    long n = Math.min(in.remaining(), maxContent);
                    if (state != State.BODY_UNTIL_CLOSE) {
                        n = Math.min(n, remaining);
                    }
                    contentStart = in.position();
                    contentLength = (int) n;
                    in.position(contentStart + contentLength);
                    if (state != State.BODY_UNTIL_CLOSE) {
                        remaining -= n;
                        if (remaining == 0) {
                            state = state == State.BODY_LENGTH ? State.END_PENDING : State.CHUNK_DATA_CR;
                        }
                    }
                    return Event.CONTENT;
                }
                default: {
                    // Head, chunk-line and trailer bytes: copy a run out of the (usually direct) buffer in one bulk
                    // get, step through the array, and consume exactly the bytes stepped over.
                    int start = in.position();
                    int n = Math.min(in.remaining(), SCAN_BYTES);
                    if (n == 0) {
                        return Event.NEED_MORE;
                    }
                    byte[] run = scan;
                    in.get(start, run, 0, n);
                    for (int i = 0; i < n; i++) {
                        Event e = step(run[i]);
                        if (e != null) {
                            in.position(start + i + 1);
                            return e;
                        }
                        if (state == State.CHUNK_DATA) {
                            in.position(start + i + 1);
                            break;
                        }
                        if (i == n - 1) {
                            in.position(start + n);
                        }
                    }
                }
            }
        }
    }

    /** Bytes copied out of the input per bulk get while stepping through a head. */
    public static final int SCAN_BYTES = 256;
    private final byte[] scan;

    /** One byte of a head, trailer section or chunk line; returns an event or null to continue. */
    private Event step(byte b) {
        int cls = CLASS[b & 0xff];
        switch (state) {
            case START:
                if (++lineBytes > HttpLimits.MAX_REQUEST_LINE_BYTES) {
                    return fail(414, "request line too long");
                }
                if (mode == Mode.REQUEST && cls == CR) {
                    state = State.START_LF; // RFC 9112 §2.2: empty lines before the request line are ignored
                    return null;
                }
                if (mode == Mode.REQUEST && cls == LF) {
                    return null;
                }
                started = true;
                forgetHead(); // the consumer of the previous message's head is done with it by now
                takeWork();
                if (mode == Mode.RESPONSE) {
                    state = State.RESPONSE_VERSION;
                    return step(b);
                }
                if (cls != TCHAR) {
                    return fail(400, "request line does not start with a method token");
                }
                store(b);
                state = State.METHOD;
                return null;
            case START_LF:
                if (cls != LF) {
                    return fail(400, "bare CR before the request line");
                }
                state = State.START;
                return null;
            case METHOD:
                if (++lineBytes > HttpLimits.MAX_REQUEST_LINE_BYTES) {
                    return fail(414, "request line too long");
                }
                if (cls == TCHAR) {
                    store(b);
                    return null;
                }
                if (cls == SP) {
                    mark1 = len;
                    state = State.TARGET;
                    return null;
                }
                return fail(400, "invalid character in method");
            case TARGET:
                if (++lineBytes > HttpLimits.MAX_REQUEST_LINE_BYTES) {
                    return fail(414, "request line too long");
                }
                if (cls == TCHAR || cls == VCHAR) {
                    store(b);
                    return null;
                }
                if (cls == SP && len > mark1) {
                    mark2 = len;
                    state = State.VERSION;
                    return null;
                }
                return fail(400, "invalid character in request target");
            case VERSION:
                if (++lineBytes > HttpLimits.MAX_REQUEST_LINE_BYTES) {
                    return fail(414, "request line too long");
                }
                if (cls == CR || cls == LF) {
                    Event e = checkVersion(mark2, len);
                    if (e != null) {
                        return e;
                    }
                    if (cls == CR) {
                        state = State.VERSION_LF;
                    } else {
                        state = State.FIELD_START;
                    }
                    return null;
                }
                if ((cls == TCHAR || b == '/') && len - mark2 < 8) {
                    store(b);
                    return null;
                }
                return fail(400, "malformed HTTP version");
            case VERSION_LF:
            case REASON_LF:
                if (cls != LF) {
                    return fail(400, "bare CR in start line");
                }
                state = State.FIELD_START;
                return null;
            case RESPONSE_VERSION:
                if (++lineBytes > HttpLimits.MAX_REQUEST_LINE_BYTES) {
                    return fail(502, "status line too long");
                }
                if (cls == SP) {
                    Event e = checkVersion(0, len);
                    if (e != null) {
                        return e;
                    }
                    mark1 = len;
                    state = State.STATUS_CODE;
                    return null;
                }
                if ((cls == TCHAR || b == '/') && len < 8) {
                    store(b);
                    return null;
                }
                return fail(502, "malformed status line");
            case STATUS_CODE:
                if (++lineBytes > HttpLimits.MAX_REQUEST_LINE_BYTES) {
                    return fail(502, "status line too long");
                }
                if (b >= '0' && b <= '9' && len - mark1 < 3) {
                    store(b);
                    return null;
                }
                if (len - mark1 == 3 && (cls == SP || cls == CR || cls == LF)) {
                    status = (scratch[mark1] - '0') * 100 + (scratch[mark1 + 1] - '0') * 10 + (scratch[mark1 + 2] - '0');
                    if (status < 100 || status > 599) {
                        return fail(502, "invalid status code");
                    }
                    mark2 = len;
                    reasonEnd = len;
                    state = cls == SP ? State.REASON : cls == CR ? State.REASON_LF : State.FIELD_START;
                    return null;
                }
                return fail(502, "malformed status code");
            case REASON:
                if (++lineBytes > HttpLimits.MAX_REQUEST_LINE_BYTES) {
                    return fail(502, "status line too long");
                }
                if (cls == TCHAR || cls == VCHAR || cls == SP || cls == HTAB || cls == OBS_TEXT) {
                    store(b);
                    reasonEnd = len;
                    return null;
                }
                if (cls == CR) {
                    state = State.REASON_LF;
                    return null;
                }
                if (cls == LF) {
                    state = State.FIELD_START;
                    return null;
                }
                return fail(502, "invalid character in reason phrase");
            case FIELD_START:
                if (++sectionBytes > sectionLimit()) {
                    return fail(431, inTrailers ? "trailer section too large" : "header section too large");
                }
                if (cls == CR) {
                    state = State.HEAD_END_LF;
                    return null;
                }
                if (cls == LF) {
                    return sectionEnd();
                }
                if (cls == SP || cls == HTAB) {
                    // RFC 9112 §5.2 obs-fold, or whitespace before the first field (§2.2): refused
                    return fail(400, fieldCount > 0 ? "obsolete line folding" : "whitespace before first field");
                }
                if (cls != TCHAR) {
                    return fail(400, "field name is not a token");
                }
                if (fieldCount == HttpLimits.MAX_FIELDS) {
                    return fail(431, "too many fields");
                }
                if (fieldMarks.length < (fieldCount + 1) * 4) {
                    fieldMarks = work.marks = Arrays.copyOf(fieldMarks, fieldMarks.length * 2);
                }
                fieldMarks[fieldCount * 4] = len;
                store(b);
                state = State.FIELD_NAME;
                return null;
            case FIELD_NAME:
                if (++sectionBytes > sectionLimit()) {
                    return fail(431, inTrailers ? "trailer section too large" : "header section too large");
                }
                if (cls == TCHAR) {
                    store(b);
                    return null;
                }
                if (b == ':') {
                    fieldMarks[fieldCount * 4 + 1] = len;
                    fieldMarks[fieldCount * 4 + 2] = len;
                    valueEnd = len;
                    state = State.FIELD_OWS;
                    return null;
                }
                if (cls == SP || cls == HTAB) {
                    return fail(400, "whitespace between field name and colon");
                }
                return fail(400, "field name is not a token");
            case FIELD_OWS:
            case FIELD_VALUE:
                if (++sectionBytes > sectionLimit()) {
                    return fail(431, inTrailers ? "trailer section too large" : "header section too large");
                }
                if (cls == SP || cls == HTAB) {
                    if (state == State.FIELD_VALUE) {
                        store(b);
                    }
                    return null;
                }
                if (cls == TCHAR || cls == VCHAR || cls == OBS_TEXT) {
                    if (state == State.FIELD_OWS) {
                        fieldMarks[fieldCount * 4 + 2] = len;
                        state = State.FIELD_VALUE;
                    }
                    store(b);
                    valueEnd = len;
                    return null;
                }
                if (cls == CR) {
                    state = State.FIELD_LF;
                    return null;
                }
                if (cls == LF) {
                    return fieldEnd();
                }
                return fail(400, "control character in field value");
            case FIELD_LF:
                if (++sectionBytes > sectionLimit()) {
                    return fail(431, inTrailers ? "trailer section too large" : "header section too large");
                }
                if (cls != LF) {
                    return fail(400, "bare CR in field");
                }
                return fieldEnd();
            case HEAD_END_LF:
                if (cls != LF) {
                    return fail(400, "bare CR at end of section");
                }
                return sectionEnd();
            case CHUNK_SIZE_START:
            case CHUNK_SIZE: {
                int d = hexValue(b);
                if (d >= 0) {
                    if (++chunkDigits > HttpLimits.MAX_CHUNK_SIZE_DIGITS) {
                        return fail(400, "chunk size too large");
                    }
                    chunkSize = chunkSize * 16 + d;
                    state = State.CHUNK_SIZE;
                    return null;
                }
                if (state == State.CHUNK_SIZE_START) {
                    return fail(400, "chunk size is not hexadecimal");
                }
                if (cls == CR) {
                    state = State.CHUNK_LINE_LF;
                    return null;
                }
                if (b == ';') {
                    state = State.CHUNK_EXTENSION;
                    return null;
                }
                if (cls == SP || cls == HTAB) {
                    state = State.CHUNK_SIZE_WS; // BWS before ";" (RFC 9112 §7.1.1)
                    return null;
                }
                return fail(400, "invalid character after chunk size");
            }
            case CHUNK_SIZE_WS:
                if (++extensionBytes > HttpLimits.MAX_CHUNK_EXTENSION_BYTES) {
                    return fail(400, "chunk extension too long");
                }
                if (cls == SP || cls == HTAB) {
                    return null;
                }
                if (b == ';') {
                    state = State.CHUNK_EXTENSION;
                    return null;
                }
                return fail(400, "whitespace after chunk size not followed by an extension");
            case CHUNK_EXTENSION:
                if (++extensionBytes > HttpLimits.MAX_CHUNK_EXTENSION_BYTES) {
                    return fail(400, "chunk extension too long");
                }
                if (cls == CR) {
                    state = State.CHUNK_LINE_LF;
                    return null;
                }
                if (cls == TCHAR || cls == VCHAR || cls == SP || cls == HTAB || cls == OBS_TEXT) {
                    return null;
                }
                return fail(400, "invalid character in chunk extension");
            case CHUNK_LINE_LF:
                if (cls != LF) {
                    return fail(400, "chunk line not ended by CRLF");
                }
                if (chunkSize == 0) {
                    takeWork();
                    inTrailers = true;
                    len = 0;
                    fieldCount = 0;
                    sectionBytes = 0;
                    state = State.FIELD_START;
                } else {
                    remaining = chunkSize;
                    state = State.CHUNK_DATA;
                }
                return null;
            case CHUNK_DATA_CR:
                if (cls != CR) {
                    return fail(400, "chunk data not followed by CRLF");
                }
                state = State.CHUNK_DATA_LF;
                return null;
            case CHUNK_DATA_LF:
                if (cls != LF) {
                    return fail(400, "chunk data not followed by CRLF");
                }
                startChunk();
                return null;
            default:
                throw new IllegalStateException(state.name());
        }
    }

    private int sectionLimit() {
        return inTrailers ? HttpLimits.MAX_TRAILER_BYTES : maxHeaderBytes;
    }

    private static int hexValue(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    private void startChunk() {
        chunkSize = 0;
        chunkDigits = 0;
        extensionBytes = 0;
        state = State.CHUNK_SIZE_START;
    }

    private Event checkVersion(int from, int to) {
        // HTTP-version = "HTTP/" DIGIT "." DIGIT (RFC 9112 §2.3)
        if (to - from != 8 || scratch[from] != 'H' || scratch[from + 1] != 'T' || scratch[from + 2] != 'T'
                || scratch[from + 3] != 'P' || scratch[from + 4] != '/' || !isDigit(scratch[from + 5])
                || scratch[from + 6] != '.' || !isDigit(scratch[from + 7])) {
            return fail(400, "malformed HTTP version");
        }
        if (scratch[from + 5] != '1' || (scratch[from + 7] != '0' && scratch[from + 7] != '1')) {
            return fail(505, "HTTP version not supported");
        }
        versionMinor = scratch[from + 7] - '0';
        return null;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private Event fieldEnd() {
        fieldMarks[fieldCount * 4 + 3] = valueEnd;
        fieldCount++;
        state = State.FIELD_START;
        return null;
    }

    private Event sectionEnd() {
        if (inTrailers) {
            trailerCount = fieldCount;
            if (fieldCount > 0) {
                trailerNames = new String[fieldCount];
                trailerValues = new String[fieldCount];
                for (int i = 0; i < fieldCount; i++) {
                    trailerNames[i] = str(fieldMarks[4 * i], fieldMarks[4 * i + 1]);
                    trailerValues[i] = str(fieldMarks[4 * i + 2], fieldMarks[4 * i + 3]);
                }
            }
            reset();
            return Event.MESSAGE_END;
        }
        return mode == Mode.REQUEST ? requestHeadEnd() : responseHeadEnd();
    }

    /** True if field {@code i} of the head being parsed is named {@code name} (case-insensitive). */
    private boolean fieldNamed(int i, String name) {
        int st = fieldMarks[4 * i];
        int n = fieldMarks[4 * i + 1] - st;
        if (n != name.length()) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            int x = scratch[st + k];
            int y = name.charAt(k);
            if (x != y && (x | 0x20) != (y | 0x20)) {
                return false;
            }
        }
        return true;
    }

    /** Hands the head being read to the consumer: it becomes {@link #head()}, and the parser holds no storage. */
    private void completeHead(String method, String target, String reason, BodyFraming framing, long length,
                              RequestTarget parsed) {
        work.describe(method, target, versionMinor, status, reason, framing, length, parsed);
        head = work;
        work = null;
        scratch = null;
        fieldMarks = null;
    }

    private static final String[] COMMON_METHODS = {"GET", "POST", "PUT", "HEAD", "DELETE", "OPTIONS", "PATCH"};

    /** The method, without allocating for the common ones. */
    private String method() {
        for (String m : COMMON_METHODS) {
            if (mark1 == m.length()) {
                boolean same = true;
                for (int k = 0; k < mark1 && same; k++) {
                    same = scratch[k] == m.charAt(k);
                }
                if (same) {
                    return m;
                }
            }
        }
        return str(0, mark1);
    }

    private Event requestHeadEnd() {
        String method = method();
        // A keep-alive client often asks for the same target again: its string and parsed form are reused.
        String lastTarget = work.target();
        boolean sameTarget = work.sameText(lastTarget, mark1, mark2) && !lastTarget.equals("*");
        String target = sameTarget ? lastTarget : str(mark1, mark2);
        work.fields(fieldCount);
        String host = null;
        int hosts = 0;
        int te = 0;
        int cl = 0;
        for (int i = 0; i < fieldCount; i++) {
            if (fieldNamed(i, "Host")) {
                hosts++;
                host = work.value(i);
            } else if (fieldNamed(i, "Transfer-Encoding")) {
                te++;
            } else if (fieldNamed(i, "Content-Length")) {
                cl++;
            }
        }
        if (hosts > 1) {
            return fail(400, "more than one Host field");
        }
        if (hosts == 0 && versionMinor == 1) {
            return fail(400, "HTTP/1.1 request without Host");
        }
        if (host != null && !RequestTarget.isValidAuthority(host)) {
            return fail(400, "invalid Host field");
        }
        if (method.equals("CONNECT")) {
            return fail(501, "CONNECT is not implemented");
        }
        RequestTarget parsed = sameTarget && work.requestTarget() != null ? work.requestTarget()
                : RequestTarget.parse(method, target);
        if (parsed == null) {
            return fail(400, "invalid request target");
        }
        BodyFraming framing = BodyFraming.NONE;
        long length = -1;
        if (te > 0) {
            if (versionMinor == 0) {
                return fail(400, "Transfer-Encoding in an HTTP/1.0 request"); // RFC 9112 §6.1
            }
            if (cl > 0) {
                return fail(400, "both Content-Length and Transfer-Encoding"); // RFC 9112 §6.3 item 3
            }
            Event e = checkChunkedOnly(501);
            if (e != null) {
                return e;
            }
            framing = BodyFraming.CHUNKED;
        } else if (cl > 0) {
            length = contentLengthFields();
            if (length < 0) {
                return fail(400, "invalid Content-Length");
            }
            framing = length == 0 ? BodyFraming.NONE : BodyFraming.LENGTH;
        }
        completeHead(method, target, null, framing, cl > 0 ? length : -1, parsed);
        return afterHead(framing, length);
    }

    /** The reason phrase, without allocating for the usual "OK" or an empty one. */
    private String reason() {
        int n = reasonEnd - mark2;
        if (n == 0) {
            return "";
        }
        if (n == 2 && scratch[mark2] == 'O' && scratch[mark2 + 1] == 'K') {
            return "OK";
        }
        return str(mark2, reasonEnd);
    }

    private Event responseHeadEnd() {
        work.fields(fieldCount);
        int te = 0;
        int cl = 0;
        for (int i = 0; i < fieldCount; i++) {
            if (fieldNamed(i, "Transfer-Encoding")) {
                te++;
            } else if (fieldNamed(i, "Content-Length")) {
                cl++;
            }
        }
        BodyFraming framing;
        long length = -1;
        if (requestMethod.equals("HEAD") || status < 200 || status == 204 || status == 304) {
            framing = BodyFraming.NONE; // RFC 9112 §6.3 item 1
        } else if (te > 0) {
            if (versionMinor == 0) {
                return fail(502, "Transfer-Encoding in an HTTP/1.0 response");
            }
            if (cl > 0) {
                return fail(502, "both Content-Length and Transfer-Encoding in a response");
            }
            Event e = checkChunkedOnly(502);
            if (e != null) {
                return e;
            }
            framing = BodyFraming.CHUNKED;
        } else if (cl > 0) {
            length = contentLengthFields();
            if (length < 0) {
                return fail(502, "invalid Content-Length in a response");
            }
            framing = length == 0 ? BodyFraming.NONE : BodyFraming.LENGTH;
        } else {
            framing = BodyFraming.CLOSE;
        }
        completeHead(null, null, reason(), framing,
                framing == BodyFraming.LENGTH || (framing == BodyFraming.NONE && length == 0) ? length : -1, null);
        return afterHead(framing, length);
    }

    private Event afterHead(BodyFraming framing, long length) {
        switch (framing) {
            case NONE -> state = State.END_PENDING;
            case LENGTH -> {
                remaining = length;
                state = State.BODY_LENGTH;
            }
            case CHUNKED -> startChunk();
            case CLOSE -> state = State.BODY_UNTIL_CLOSE;
        }
        return Event.HEAD;
    }

    /**
     * The Transfer-Encoding fields, read as one list: the only coding implemented is chunked, applied once (RFC 9112
     * §6.1, §7). Empty list elements are ignored (RFC 9110 §5.6.1).
     */
    private Event checkChunkedOnly(int unknownStatus) {
        int chunked = 0;
        int codings = 0;
        for (int i = 0; i < fieldCount; i++) {
            if (!fieldNamed(i, "Transfer-Encoding")) {
                continue;
            }
            listOf(i);
            while (nextElement()) {
                if (elementStart == elementEnd) {
                    continue;
                }
                codings++;
                if (!bytesEqualIgnoreCase(elementStart, elementEnd, "chunked")) {
                    return fail(unknownStatus, "unsupported transfer coding");
                }
                chunked++;
            }
        }
        if (codings == 0 || chunked > 1) {
            return fail(400, "invalid Transfer-Encoding");
        }
        return null;
    }

    // A cursor over the comma-separated elements of one field's value, each without surrounding whitespace.
    private int listPos;
    private int listEnd;
    private int elementStart;
    private int elementEnd;

    private void listOf(int field) {
        listPos = fieldMarks[4 * field + 2];
        listEnd = fieldMarks[4 * field + 3];
    }

    /** Moves to the next element ({@link #elementStart} to {@link #elementEnd}, possibly empty); false at the end. */
    private boolean nextElement() {
        if (listPos > listEnd) {
            return false;
        }
        int comma = listPos;
        while (comma < listEnd && scratch[comma] != ',') {
            comma++;
        }
        int s = listPos;
        int e = comma;
        while (s < e && (scratch[s] == ' ' || scratch[s] == '\t')) {
            s++;
        }
        while (e > s && (scratch[e - 1] == ' ' || scratch[e - 1] == '\t')) {
            e--;
        }
        elementStart = s;
        elementEnd = e;
        listPos = comma + 1;
        return true;
    }

    private boolean bytesEqualIgnoreCase(int from, int to, String lower) {
        if (to - from != lower.length()) {
            return false;
        }
        for (int k = from; k < to; k++) {
            if ((scratch[k] | 0x20) != lower.charAt(k - from)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The Content-Length fields, read as one list (RFC 9110 §8.6: 1*DIGIT; a list of identical values is accepted).
     * Returns -1 if invalid.
     */
    private long contentLengthFields() {
        long result = -1;
        for (int i = 0; i < fieldCount; i++) {
            if (!fieldNamed(i, "Content-Length")) {
                continue;
            }
            listOf(i);
            while (nextElement()) {
                if (elementStart == elementEnd || elementEnd - elementStart > HttpLimits.MAX_CONTENT_LENGTH_DIGITS) {
                    return -1;
                }
                long n = 0;
                for (int j = elementStart; j < elementEnd; j++) {
                    int c = scratch[j];
                    if (c < '0' || c > '9') {
                        return -1;
                    }
                    n = n * 10 + (c - '0');
                }
                if (result >= 0 && n != result) {
                    return -1;
                }
                result = n;
            }
        }
        return result;
    }
}
