package dev.switchboard.provider.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;

/**
 * A small client of etcd's v3 JSON gateway (etcd 3.4+: {@code /v3/kv/range}, {@code /v3/watch},
 * {@code /v3/auth/authenticate}), on the JDK's {@link HttpClient} over HTTP/1.1. Keys and values travel base64-encoded;
 * 64-bit numbers are JSON strings; a watch is one long response of JSON lines.
 *
 * <p>Endpoints are tried in order; the last one that answered is tried first next time. With a username, a token
 * from {@code /v3/auth/authenticate} is sent in {@code Authorization} and renewed once when etcd refuses it.
 *
 * <p>Thread-safe; every call blocks the caller (the provider's own threads only).
 */
final class EtcdClient {

    /** etcd answered with an error (not a transport failure). */
    static final class EtcdException extends IOException {
        private static final long serialVersionUID = 1L;
        final int code;

        EtcdException(int code, String message) {
            super(message);
            this.code = code;
        }
    }

    /** Every key under the prefix at one revision, as read from {@code endpoint}. */
    record Range(long revision, Map<String, String> kvs, URI endpoint) {
    }

    /** One event of a watch response. */
    record Event(boolean delete, String key, String value, long modRevision) {
    }

    /**
     * One line of a watch stream.
     *
     * @param revision        the store revision the response was sent at
     * @param created         the watch was just created
     * @param canceled        etcd cancelled the watch (compaction, or another reason in {@code cancelReason})
     * @param compactRevision when cancelled for compaction, the oldest revision still available; else 0
     * @param events          the changes, in revision order
     */
    record WatchResponse(long revision, boolean created, boolean canceled, long compactRevision, String cancelReason,
                         List<Event> events) {
    }

    /** An open watch: {@link #next()} blocks for the next response; {@link #close()} from any thread ends it. */
    final class Watch implements Closeable {
        private final InputStream body;
        private final BufferedReader lines;
        private final URI endpoint;

        Watch(InputStream body, URI endpoint) {
            this.body = body;
            this.lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
            this.endpoint = endpoint;
        }

        /** The next response, or null when etcd ended the stream. */
        WatchResponse next() throws IOException {
            while (true) {
                String line = lines.readLine();
                if (line == null) {
                    return null;
                }
                if (line.isBlank()) {
                    continue;
                }
                JsonNode root = json.readTree(line);
                if (root.has("error")) {
                    JsonNode e = root.get("error");
                    int code = e.path("grpc_code").asInt(e.path("code").asInt(-1));
                    throw new EtcdException(code, "watch at " + endpoint + ": " + e.path("message").asText(e.toString()));
                }
                JsonNode r = root.path("result");
                List<Event> events = new ArrayList<>();
                for (JsonNode ev : r.path("events")) {
                    JsonNode kv = ev.path("kv");
                    events.add(new Event("DELETE".equals(ev.path("type").asText("PUT")), decode(kv.path("key")),
                            decode(kv.path("value")), kv.path("mod_revision").asLong(0)));
                }
                return new WatchResponse(r.path("header").path("revision").asLong(0), r.path("created").asBoolean(),
                        r.path("canceled").asBoolean(), r.path("compact_revision").asLong(0),
                        r.path("cancel_reason").asText(""), events);
            }
        }

        URI endpoint() {
            return endpoint;
        }

        @Override
        public void close() {
            try {
                body.close();
            } catch (IOException e) {
                // closing a cancelled stream; nothing to do
            }
        }
    }

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /** etcd's gRPC code for an expired or unknown auth token. */
    private static final int UNAUTHENTICATED = 16;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http;
    private final List<URI> endpoints;
    private final String username;
    private final String password;
    private volatile int preferred;
    private volatile String token;

    EtcdClient(List<URI> endpoints, String username, String password, SSLContext ssl) {
        this.endpoints = List.copyOf(endpoints);
        this.username = username;
        this.password = password;
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // the gateway streams watches as chunked HTTP/1.1 bodies
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (ssl != null) {
            b.sslContext(ssl);
        }
        this.http = b.build();
    }

    /** Every key and value under {@code prefix} (keys start with it), with the revision they were read at. */
    Range range(String prefix) throws IOException, InterruptedException {
        ObjectNode body = json.createObjectNode();
        body.put("key", encode(prefix));
        body.put("range_end", encode(rangeEnd(prefix)));
        JsonNode r = post("/v3/kv/range", body, true);
        Map<String, String> kvs = new TreeMap<>();
        for (JsonNode kv : r.path("kvs")) {
            kvs.put(decode(kv.path("key")), decode(kv.path("value")));
        }
        return new Range(r.path("header").path("revision").asLong(0), kvs, endpoints.get(preferred));
    }

    /**
     * Opens a watch of every key under {@code prefix} from {@code startRevision}; returns once etcd answered with
     * the response head (the first line, {@code created}, follows on the stream).
     */
    Watch watch(String prefix, long startRevision) throws IOException, InterruptedException {
        ObjectNode create = json.createObjectNode();
        create.put("key", encode(prefix));
        create.put("range_end", encode(rangeEnd(prefix)));
        create.put("start_revision", Long.toString(startRevision));
        ObjectNode body = json.createObjectNode();
        body.set("create_request", create);
        IOException last = null;
        for (URI endpoint : order()) {
            try {
                // The timeout bounds the wait for the response head only; the body streams for as long as it lasts.
                HttpResponse<InputStream> response = http.send(request(endpoint, "/v3/watch", body, REQUEST_TIMEOUT),
                        HttpResponse.BodyHandlers.ofInputStream());
                if (response.statusCode() != 200) {
                    String text;
                    try (InputStream in = response.body()) {
                        text = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
                    }
                    throw error(endpoint, "/v3/watch", response.statusCode(), text);
                }
                remember(endpoint);
                return new Watch(response.body(), endpoint);
            } catch (EtcdException e) {
                if (e.code == UNAUTHENTICATED && username != null) {
                    token = null;
                }
                throw e;
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    /**
     * A linearizable read of one key's count under {@code prefix} at {@code endpoint} only (no failover): it succeeds
     * only if that member is alive and part of a cluster with quorum.
     */
    void probe(URI endpoint, String prefix) throws IOException, InterruptedException {
        ObjectNode body = json.createObjectNode();
        body.put("key", encode(prefix));
        body.put("range_end", encode(rangeEnd(prefix)));
        body.put("count_only", true);
        HttpResponse<String> response = http.send(request(endpoint, "/v3/kv/range", body, REQUEST_TIMEOUT),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() != 200) {
            throw error(endpoint, "/v3/kv/range", response.statusCode(), response.body());
        }
    }

    /** Writes a key (tests and tools). */
    void put(String key, String value) throws IOException, InterruptedException {
        ObjectNode body = json.createObjectNode();
        body.put("key", encode(key));
        body.put("value", encode(value));
        post("/v3/kv/put", body, true);
    }

    /** Deletes a key, or every key under it when {@code prefix} (tests and tools). */
    void delete(String key, boolean prefix) throws IOException, InterruptedException {
        ObjectNode body = json.createObjectNode();
        body.put("key", encode(key));
        if (prefix) {
            body.put("range_end", encode(rangeEnd(key)));
        }
        post("/v3/kv/deleterange", body, true);
    }

    /** Posts {@code body} to the first endpoint that answers; returns the parsed answer. */
    JsonNode post(String path, JsonNode body, boolean authenticated) throws IOException, InterruptedException {
        IOException last = null;
        for (URI endpoint : order()) {
            for (int attempt = 0; attempt < 2; attempt++) {
                try {
                    String auth = authenticated ? token(endpoint) : null;
                    HttpResponse<String> response = http.send(request(endpoint, path, body, REQUEST_TIMEOUT, auth),
                            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                    if (response.statusCode() != 200) {
                        throw error(endpoint, path, response.statusCode(), response.body());
                    }
                    remember(endpoint);
                    return json.readTree(response.body());
                } catch (EtcdException e) {
                    if (e.code == UNAUTHENTICATED && authenticated && username != null && attempt == 0) {
                        token = null; // expired token (etcd's simple tokens live 5 minutes): renew once
                        continue;
                    }
                    throw e;
                } catch (IOException e) {
                    last = e;
                    break; // transport failure: try the next endpoint
                }
            }
        }
        throw last;
    }

    private String token(URI endpoint) throws IOException, InterruptedException {
        if (username == null) {
            return null;
        }
        String t = token;
        if (t == null) {
            ObjectNode body = json.createObjectNode();
            body.put("name", username);
            body.put("password", password == null ? "" : password);
            HttpResponse<String> response = http.send(request(endpoint, "/v3/auth/authenticate", body,
                    REQUEST_TIMEOUT, null), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                throw error(endpoint, "/v3/auth/authenticate (user '" + username + "')", response.statusCode(),
                        response.body());
            }
            t = json.readTree(response.body()).path("token").asText(null);
            if (t == null || t.isEmpty()) {
                throw new EtcdException(-1, "etcd at " + endpoint + " gave no token for user '" + username
                        + "' (is authentication enabled?)");
            }
            token = t;
        }
        return t;
    }

    private HttpRequest request(URI endpoint, String path, JsonNode body, Duration timeout, String auth)
            throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
        if (timeout != null) {
            b.timeout(timeout);
        }
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return b.build();
    }

    private HttpRequest request(URI endpoint, String path, JsonNode body, Duration timeout)
            throws IOException, InterruptedException {
        return request(endpoint, path, body, timeout, token(endpoint));
    }

    private EtcdException error(URI endpoint, String path, int status, String body) {
        int code = -1;
        String message = body;
        try {
            JsonNode e = json.readTree(body);
            code = e.path("code").asInt(-1);
            message = e.path("message").asText(e.path("error").asText(body));
        } catch (IOException | RuntimeException notJson) {
            // keep the raw text
        }
        if (status == 404 && path.startsWith("/v3/")) {
            message = "no v3 JSON gateway (HTTP 404); etcd 3.4 or later is needed";
        }
        return new EtcdException(code, "etcd at " + endpoint + " answered " + path + " with HTTP " + status + ": "
                + message.strip());
    }

    private List<URI> order() {
        int p = preferred;
        List<URI> order = new ArrayList<>(endpoints.size());
        for (int i = 0; i < endpoints.size(); i++) {
            order.add(endpoints.get((p + i) % endpoints.size()));
        }
        return order;
    }

    private void remember(URI endpoint) {
        preferred = endpoints.indexOf(endpoint);
    }

    /** Tries {@code endpoint} last from now on (it failed a probe), until another failure moves the preference. */
    void avoid(URI endpoint) {
        int i = endpoints.indexOf(endpoint);
        if (i >= 0 && i == preferred && endpoints.size() > 1) {
            preferred = (i + 1) % endpoints.size();
        }
    }

    /** The endpoints as configured. */
    List<URI> endpoints() {
        return endpoints;
    }

    /** The end of etcd's range for a prefix: the prefix with its last byte incremented. */
    static byte[] rangeEnd(String prefix) {
        byte[] b = prefix.getBytes(StandardCharsets.UTF_8);
        for (int i = b.length - 1; i >= 0; i--) {
            if (b[i] != (byte) 0xff) {
                b[i]++;
                return java.util.Arrays.copyOf(b, i + 1);
            }
        }
        return new byte[] {0};
    }

    private static String encode(String s) {
        return encode(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String encode(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    private static String decode(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? "" : new String(Base64.getDecoder().decode(n.asText()),
                StandardCharsets.UTF_8);
    }
}
