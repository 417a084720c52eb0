package dev.switchboard.provider.etcd;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real etcd server for tests: the {@code etcd} binary of the Debian package {@code etcd-server}, started on free
 * loopback ports with a temporary data folder, stopped by PID. Without the binary the test FAILS, saying how to
 * install it, unless {@code SWITCHBOARD_SKIP_ETCD=1} is set (then it is skipped, visibly).
 *
 * <p>{@link #stop()} and {@link #start()} again keep the ports and the data, so a restart is the same store.
 */
final class EtcdServer implements AutoCloseable {
    static final Duration START_DEADLINE = Duration.ofSeconds(20);

    /** Every etcd started by a test, stopped when the test JVM exits even if a test could not close it. */
    private static final java.util.Set<Process> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "etcd-test-cleanup"));
    }

    private final Path binary;
    private final Path dataRoot;
    private final String name;
    private final int clientPort;
    private final int peerPort;
    private String initialCluster;
    private Process process;
    private final EtcdClient client;
    private final TestCertificates tls;

    private EtcdServer(Path binary, Path dataRoot, String name, int clientPort, int peerPort) {
        this(binary, dataRoot, name, clientPort, peerPort, null);
    }

    private EtcdServer(Path binary, Path dataRoot, String name, int clientPort, int peerPort, TestCertificates tls) {
        this.tls = tls;
        this.binary = binary;
        this.dataRoot = dataRoot;
        this.name = name;
        this.clientPort = clientPort;
        this.peerPort = peerPort;
        this.initialCluster = name + "=http://127.0.0.1:" + peerPort;
        this.client = new EtcdClient(List.of(endpoint()), null, null, tls == null ? null : sslContext(tls));
    }

    private static javax.net.ssl.SSLContext sslContext(TestCertificates c) {
        try {
            return TlsContexts.of(new EtcdSettings.Tls(c.ca(), c.clientCert(), c.clientKey(), false));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** An etcd serving clients over TLS only, and requiring a client certificate signed by the test CA. */
    static EtcdServer startedWithTls(Path tempDir, TestCertificates certificates) throws IOException {
        Path binary = findBinary();
        int[] ports = freePorts(2);
        EtcdServer s = new EtcdServer(binary, tempDir.resolve("etcd"), "default", ports[0], ports[1], certificates);
        s.start();
        return s;
    }

    /** Finds etcd (or fails/skips as described above); not started yet. */
    static EtcdServer create(Path tempDir) throws IOException {
        Path binary = findBinary();
        int[] ports = freePorts(2);
        return new EtcdServer(binary, tempDir.resolve("etcd"), "default", ports[0], ports[1]);
    }

    /** A cluster of {@code size} members on loopback, started together (a member answers once there is quorum). */
    static List<EtcdServer> cluster(Path tempDir, int size) throws IOException {
        Path binary = findBinary();
        int[] ports = freePorts(2 * size);
        List<EtcdServer> members = new java.util.ArrayList<>();
        StringBuilder initial = new StringBuilder();
        for (int i = 0; i < size; i++) {
            EtcdServer m = new EtcdServer(binary, tempDir.resolve("etcd-m" + i), "m" + i, ports[2 * i],
                    ports[2 * i + 1]);
            members.add(m);
            initial.append(initial.length() == 0 ? "" : ",").append("m").append(i).append("=http://127.0.0.1:")
                    .append(ports[2 * i + 1]);
        }
        for (EtcdServer m : members) {
            m.initialCluster = initial.toString();
            m.launch();
        }
        for (EtcdServer m : members) {
            m.awaitReady();
        }
        return members;
    }

    /** Finds and starts etcd. */
    static EtcdServer started(Path tempDir) throws IOException {
        EtcdServer s = create(tempDir);
        s.start();
        return s;
    }

    /** {@code SWITCHBOARD_ETCD} (a path to the binary) if set, else {@code etcd} on the PATH or in /usr/bin. */
    static Path findBinary() {
        String explicit = System.getenv("SWITCHBOARD_ETCD");
        String path = System.getenv("PATH") == null ? "" : System.getenv("PATH");
        List<String> candidates = explicit != null && !explicit.isBlank() ? List.of(explicit)
                : java.util.Arrays.stream((path + File.pathSeparator + "/usr/bin" + File.pathSeparator
                        + "/usr/local/bin").split(File.pathSeparator)).filter(d -> !d.isEmpty())
                        .map(d -> Path.of(d, "etcd").toString()).toList();
        for (String candidate : candidates) {
            Path p = Path.of(candidate);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        String message = (explicit != null && !explicit.isBlank() ? "SWITCHBOARD_ETCD=" + explicit
                + " is not an executable; " : "") + "the etcd binary is not installed: these tests run a real etcd (Debian package "
                + "etcd-server: apt-get install -y etcd-server, or run plugins/provider-etcd/src/test/resources/"
                + "ensure-etcd.sh). Set SWITCHBOARD_SKIP_ETCD=1 to skip them knowingly.";
        if ("1".equals(System.getenv("SWITCHBOARD_SKIP_ETCD"))) {
            Assumptions.abort("SWITCHBOARD_SKIP_ETCD=1: " + message);
        }
        fail(message);
        return null;
    }

    /** Starts etcd and waits until it answers a range request. */
    void start() throws IOException {
        launch();
        awaitReady();
    }

    private void launch() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        Files.createDirectories(dataRoot);
        String client = endpoint().toString();
        String peer = "http://127.0.0.1:" + peerPort;
        List<String> tlsFlags = tls == null ? List.of() : List.of("--cert-file", tls.serverCert().toString(),
                "--key-file", tls.serverKey().toString(), "--trusted-ca-file", tls.ca().toString(),
                "--client-cert-auth");
        List<String> command = new java.util.ArrayList<>(List.of(binary.toString(),
                "--name", name,
                "--data-dir", dataRoot.resolve("data").toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", initialCluster,
                "--log-level", "warn"));
        command.addAll(tlsFlags);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataRoot.resolve("etcd.log").toFile()))
                .start();
        RUNNING.add(process);
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (true) {
            try {
                this.client.range("/");
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    fail("etcd exited with " + process.exitValue() + ": " + log());
                }
                if (System.nanoTime() - deadline > 0) {
                    fail("etcd did not answer within " + START_DEADLINE + ": " + log());
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }

    /** Stops etcd by PID (SIGTERM) and waits for it to exit; the data stays. */
    void stop() {
        if (process == null) {
            return;
        }
        try {
            thaw(); // a frozen etcd would not act on SIGTERM
        } catch (IOException | InterruptedException | AssertionError e) {
            // already gone
        }
        ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroy);
        RUNNING.remove(process);
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Freezes the process ({@code kill -STOP}): its sockets stay open, it answers nothing. */
    void freeze() throws IOException, InterruptedException {
        signal("-STOP");
    }

    /** Lets a frozen process run again ({@code kill -CONT}). */
    void thaw() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            fail("kill " + signal + " " + process.pid() + " failed");
        }
    }

    /** True if this member is the cluster's leader ({@code /v3/maintenance/status}). */
    boolean isLeader() throws IOException, InterruptedException {
        var status = client.post("/v3/maintenance/status", new ObjectMapper().createObjectNode(), false);
        return status.path("leader").asText("x").equals(status.path("header").path("member_id").asText("y"));
    }

    URI endpoint() {
        return URI.create((tls == null ? "http" : "https") + "://127.0.0.1:" + clientPort);
    }

    /** {@code 127.0.0.1:port}, as written in {@code [etcd] endpoint}. */
    String hostPort() {
        return "127.0.0.1:" + clientPort;
    }

    void put(String key, String value) throws IOException, InterruptedException {
        client.put(key, value);
    }

    void delete(String key) throws IOException, InterruptedException {
        client.delete(key, false);
    }

    void deletePrefix(String key) throws IOException, InterruptedException {
        client.delete(key, true);
    }

    /** The store's current revision. */
    long revision() throws IOException, InterruptedException {
        return client.range("/").revision();
    }

    /** Compacts the history up to {@code revision} ({@code POST /v3/kv/compaction}, physical). */
    void compact(long revision) throws IOException, InterruptedException {
        ObjectNode body = new ObjectMapper().createObjectNode();
        body.put("revision", Long.toString(revision));
        body.put("physical", true);
        client.post("/v3/kv/compaction", body, false);
    }

    /**
     * Turns etcd's authentication on: a root user, and {@code user} with read access to {@code prefix} only.
     * Returns a client authenticated as root (the plain client is refused from then on).
     */
    EtcdClient enableAuth(String root, String rootPassword, String user, String password, String prefix)
            throws IOException, InterruptedException {
        ObjectMapper json = new ObjectMapper();
        client.post("/v3/auth/user/add", json.createObjectNode().put("name", root).put("password", rootPassword), false);
        client.post("/v3/auth/role/add", json.createObjectNode().put("name", "root"), false);
        client.post("/v3/auth/user/grant", json.createObjectNode().put("user", root).put("role", "root"), false);
        client.post("/v3/auth/user/add", json.createObjectNode().put("name", user).put("password", password), false);
        client.post("/v3/auth/role/add", json.createObjectNode().put("name", "reader"), false);
        ObjectNode perm = json.createObjectNode().put("permType", "READ")
                .put("key", java.util.Base64.getEncoder().encodeToString(prefix.getBytes(
                        java.nio.charset.StandardCharsets.UTF_8)))
                .put("range_end", java.util.Base64.getEncoder().encodeToString(EtcdClient.rangeEnd(prefix)));
        ObjectNode grant = json.createObjectNode().put("name", "reader");
        grant.set("perm", perm);
        client.post("/v3/auth/role/grant", grant, false);
        client.post("/v3/auth/user/grant", json.createObjectNode().put("user", user).put("role", "reader"), false);
        client.post("/v3/auth/enable", json.createObjectNode(), false);
        return new EtcdClient(List.of(endpoint()), root, rootPassword, null);
    }

    EtcdClient client() {
        return client;
    }

    String log() {
        try {
            return Files.readString(dataRoot.resolve("etcd.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(dataRoot)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // temporary folder; JUnit removes it anyway
        }
    }

    /** Free loopback ports (bound then released; etcd binds them right after). */
    static int[] freePorts(int n) throws IOException {
        int[] ports = new int[n];
        ServerSocket[] sockets = new ServerSocket[n];
        try {
            for (int i = 0; i < n; i++) {
                sockets[i] = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                ports[i] = sockets[i].getLocalPort();
            }
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) {
                    s.close();
                }
            }
        }
        return ports;
    }

    /** True if something accepts connections on {@code port} (tests of an unreachable store). */
    static boolean listening(int port) {
        try (Socket s = new Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
