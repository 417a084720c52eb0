package dev.switchboard.kernel.http;

/**
 * Every limit the HTTP/1.1 parser enforces, in one table. A message that exceeds one is refused with the status in
 * the last column (for a response from a server, always 502), never truncated and never read further.
 *
 * <table>
 *   <caption>Parser limits</caption>
 *   <tr><th>Constant</th><th>Value</th><th>What it bounds</th><th>Status</th></tr>
 *   <tr><td>{@link #MAX_REQUEST_LINE_BYTES}</td><td>8 KiB</td><td>request line (and status line), empty lines before it included</td><td>414</td></tr>
 *   <tr><td>{@link #DEFAULT_MAX_HEADER_BYTES}</td><td>32 KiB</td><td>header section, all field lines (configurable: {@code ProxySettings.maxHeaderBytes})</td><td>431</td></tr>
 *   <tr><td>{@link #MAX_FIELDS}</td><td>256</td><td>number of field lines in a header or trailer section</td><td>431</td></tr>
 *   <tr><td>{@link #MAX_CHUNK_SIZE_DIGITS}</td><td>15</td><td>hex digits of a chunk size, so it never overflows a {@code long}</td><td>400</td></tr>
 *   <tr><td>{@link #MAX_CHUNK_EXTENSION_BYTES}</td><td>4 KiB</td><td>chunk extensions on one chunk line (they are dropped when forwarding)</td><td>400</td></tr>
 *   <tr><td>{@link #MAX_TRAILER_BYTES}</td><td>8 KiB</td><td>trailer section of a chunked body</td><td>431</td></tr>
 *   <tr><td>{@link #MAX_CONTENT_LENGTH_DIGITS}</td><td>18</td><td>digits of a Content-Length value, so it never overflows a {@code long}</td><td>400</td></tr>
 * </table>
 */
public final class HttpLimits {
    public static final int MAX_REQUEST_LINE_BYTES = 8 * 1024;
    public static final int DEFAULT_MAX_HEADER_BYTES = 32 * 1024;
    public static final int MAX_FIELDS = 256;
    public static final int MAX_CHUNK_SIZE_DIGITS = 15;
    public static final int MAX_CHUNK_EXTENSION_BYTES = 4 * 1024;
    public static final int MAX_TRAILER_BYTES = 8 * 1024;
    public static final int MAX_CONTENT_LENGTH_DIGITS = 18;

    private HttpLimits() {
    }
}
