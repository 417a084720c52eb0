package dev.switchboard.testkit;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A response the proxy gave the test client.
 *
 * @param status  the status code
 * @param headers the fields, names compared case-insensitively
 * @param body    the body, de-chunked
 */
public record TestResponse(int status, Map<String, List<String>> headers, byte[] body) {

    /** The first value of field {@code name} (case-insensitive), or null. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The name of the {@link EchoBackend} that answered, or null if the proxy answered by itself (404, 502, ...). */
    public String backend() {
        return header(EchoBackend.BACKEND_HEADER);
    }

    /** What the echo backend that answered received, or null if no echo backend answered. */
    public EchoedRequest echoed() {
        return backend() == null ? null : EchoedRequest.parse(bodyText());
    }

    @Override
    public String toString() {
        return status + " " + headers + "\n" + bodyText();
    }
}
