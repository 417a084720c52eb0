package dev.switchboard.distribution;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real etcd on free loopback ports with a data folder of its own, stopped by PID; written to through etcd's
 * v3 JSON gateway. The minimal start/stop logic of {@code plugins/provider-etcd}'s test {@code EtcdServer}: without
 * the {@code etcd} binary (Debian {@code etcd-server}) the test fails saying so, unless
 * {@code SWITCHBOARD_SKIP_ETCD=1}.
 */
final class EtcdProcess implements AutoCloseable {
    private final Process process;
    private final int clientPort;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private EtcdProcess(Process process, int clientPort, Path log) {
        this.process = process;
        this.clientPort = clientPort;
        this.log = log;
    }

    static EtcdProcess start(Path dataRoot) throws IOException {
        Path binary = binary();
        int clientPort = TestBackend.freePort();
        int peerPort = TestBackend.freePort();
        String client = "http://127.0.0.1:" + clientPort;
        String peer = "http://127.0.0.1:" + peerPort;
        Path log = dataRoot.resolve("etcd.log");
        Process p = new ProcessBuilder(binary.toString(), "--name", "default",
                "--data-dir", dataRoot.resolve("data").toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "default=" + peer, "--log-level", "warn")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        EtcdProcess etcd = new EtcdProcess(p, clientPort, log);
        try {
            Poll.until(Duration.ofSeconds(20), "etcd to answer on " + client, null, () -> {
                if (!p.isAlive()) {
                    fail("etcd exited with " + p.exitValue() + ": " + Files.readString(log));
                }
                etcd.post("/v3/kv/range", "{\"key\":\"" + b64("/") + "\"}");
                return Boolean.TRUE;
            });
        } catch (AssertionError e) {
            etcd.close();
            throw e;
        }
        return etcd;
    }

    private static Path binary() {
        String explicit = System.getenv("SWITCHBOARD_ETCD");
        List<String> candidates = explicit != null && !explicit.isBlank() ? List.of(explicit)
                : Arrays.stream((System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin")
                        .split(File.pathSeparator)).filter(d -> !d.isEmpty())
                        .map(d -> Path.of(d, "etcd").toString()).toList();
        for (String c : candidates) {
            if (Files.isExecutable(Path.of(c))) {
                return Path.of(c);
            }
        }
        String message = "the etcd binary is not installed: this test runs a real etcd (Debian package "
                + "etcd-server, or plugins/provider-etcd/src/test/resources/ensure-etcd.sh). Set "
                + "SWITCHBOARD_SKIP_ETCD=1 to skip it knowingly.";
        if ("1".equals(System.getenv("SWITCHBOARD_SKIP_ETCD"))) {
            Assumptions.abort(message);
        }
        fail(message);
        return null;
    }

    String hostPort() {
        return "127.0.0.1:" + clientPort;
    }

    void put(String key, String value) throws IOException, InterruptedException {
        post("/v3/kv/put", "{\"key\":\"" + b64(key) + "\",\"value\":\"" + b64(value) + "\"}");
    }

    void deletePrefix(String prefix) throws IOException, InterruptedException {
        post("/v3/kv/deleterange", "{\"key\":\"" + b64(prefix) + "\",\"range_end\":\"" + rangeEnd(prefix) + "\"}");
    }

    /** One transaction: every put and every deletion at once (one revision, one watch event batch). */
    void txn(java.util.Map<String, String> puts, java.util.Collection<String> deletedKeys)
            throws IOException, InterruptedException {
        StringBuilder ops = new StringBuilder();
        puts.forEach((k, v) -> ops.append(ops.length() == 0 ? "" : ",").append("{\"requestPut\":{\"key\":\"")
                .append(b64(k)).append("\",\"value\":\"").append(b64(v)).append("\"}}"));
        for (String key : deletedKeys) {
            ops.append(ops.length() == 0 ? "" : ",").append("{\"requestDeleteRange\":{\"key\":\"").append(b64(key))
                    .append("\"}}");
        }
        post("/v3/kv/txn", "{\"success\":[" + ops + "]}");
    }

    /** The end of the range of keys starting with {@code prefix}, base64 (etcd's convention: last byte + 1). */
    private static String rangeEnd(String prefix) {
        byte[] end = prefix.getBytes(StandardCharsets.UTF_8);
        end[end.length - 1]++;
        return Base64.getEncoder().encodeToString(end);
    }

    private String post(String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + clientPort
                        + path)).timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofString(json))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("etcd " + path + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        process.destroy(); // SIGTERM, by PID
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
