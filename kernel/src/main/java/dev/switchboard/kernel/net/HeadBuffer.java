package dev.switchboard.kernel.net;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A reusable byte array a head is encoded into before it is copied into a connection's output buffer, so encoding a
 * head leaves no garbage behind. One per loop, used only by its thread, and only between {@link #reset()} and the
 * copy that follows it (never across calls into other code).
 */
final class HeadBuffer implements dev.switchboard.kernel.http.HttpHead.ByteSink {
    private byte[] bytes = new byte[2048];
    private int length;

    HeadBuffer reset() {
        length = 0;
        return this;
    }

    int length() {
        return length;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    /** Appends {@code s}, one byte per char: heads are ISO-8859-1 (values were parsed or checked as such). */
    HeadBuffer append(String s) {
        return append(s, 0, s.length());
    }

    /** Appends chars {@code from} to {@code to} of {@code s}, one byte each. */
    HeadBuffer append(String s, int from, int to) {
        ensure(to - from);
        for (int i = from; i < to; i++) {
            bytes[length++] = (byte) s.charAt(i);
        }
        return this;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, bytes, length, len);
        length += len;
    }

    /** Appends field {@code i} of {@code head} from its bytes: name, ": ", value, CRLF. */
    HeadBuffer field(dev.switchboard.kernel.http.HttpHead head, int i) {
        head.copyName(i, this);
        append(':').append(' ');
        head.copyValue(i, this);
        return crlf();
    }

    HeadBuffer append(char c) {
        ensure(1);
        bytes[length++] = (byte) c;
        return this;
    }

    HeadBuffer append(long n) {
        if (n < 0) {
            return append('-').append(-n);
        }
        ensure(20);
        int start = length;
        do {
            bytes[length++] = (byte) ('0' + n % 10);
            n /= 10;
        } while (n > 0);
        for (int i = start, j = length - 1; i < j; i++, j--) {
            byte t = bytes[i];
            bytes[i] = bytes[j];
            bytes[j] = t;
        }
        return this;
    }

    HeadBuffer crlf() {
        ensure(2);
        bytes[length++] = '\r';
        bytes[length++] = '\n';
        return this;
    }

    HeadBuffer field(String name, String value) {
        return append(name).append(':').append(' ').append(value).crlf();
    }

    /** Copies up to {@code dst.remaining()} bytes from {@code from} into {@code dst}; returns how many. */
    int copyTo(ByteBuffer dst, int from) {
        int n = Math.min(dst.remaining(), length - from);
        dst.put(bytes, from, n);
        return n;
    }

    /** The bytes from {@code from} on, in a buffer of their own (read mode). */
    ByteBuffer copy(int from) {
        return ByteBuffer.wrap(Arrays.copyOfRange(bytes, from, length));
    }

    @Override
    public String toString() {
        return new String(bytes, 0, length, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
