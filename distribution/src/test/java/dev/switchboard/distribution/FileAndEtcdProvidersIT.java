package dev.switchboard.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code file} and {@code etcd} providers at once (issue 8, item 4), through the unpacked {@code bin/switchboard}
 * and a real etcd started by the test: their configurations merge; a name defined by both is rejected with an
 * error naming both providers, and neither definition shadows the other; fixing the clash on either side applies,
 * including the other provider's snapshot that was rejected for the clash; a frontend of one provider cannot use a
 * backend only the other defines (Traefik v1 resolved a frontend's backend in its own provider's configuration).
 */
@Timeout(180)
class FileAndEtcdProvidersIT {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration RELOAD_TIMEOUT = Duration.ofSeconds(20);

    private static String config(int port, String etcdEndpoint, String fileServerUrl, boolean clashingBackend) {
        String extra = !clashingBackend ? "" : """
                  [frontends.file2]
                  backend = "kv"
                    [frontends.file2.routes.host]
                    rule = "Host:file2.test"
                """;
        String extraBackend = !clashingBackend ? "" : """
                  [backends.kv.servers.one]
                  url = "%s"
                """.formatted(fileServerUrl);
        return """
                logLevel = "INFO"
                defaultEntryPoints = ["http"]
                providersThrottleDuration = "10ms"
                [entryPoints]
                  [entryPoints.http]
                  address = "127.0.0.1:%d"
                [etcd]
                  endpoint = "%s"
                  prefix = "/traefik"
                  watch = true
                  useAPIV3 = true
                [file]
                  watch = true
                [frontends]
                  [frontends.from-file]
                  backend = "local"
                    [frontends.from-file.routes.host]
                    rule = "Host:file.test"
                %s[backends]
                  [backends.local.servers.one]
                  url = "%s"
                %s""".formatted(port, etcdEndpoint, extra, fileServerUrl, extraBackend);
    }

    @Test
    void fileAndEtcdMergeAClashIsReportedNamingBothProvidersWithoutShadowingAndFixingItApplies() throws Exception {
        Path data = Files.createTempDirectory(Files.createDirectories(Distribution.IT_DIR), "etcd-");
        try (EtcdProcess etcd = EtcdProcess.start(data);
             TestBackend fileServer = TestBackend.start("file-server");
             TestBackend etcdServer = TestBackend.start("etcd-server")) {
            etcd.put("/traefik/backends/kv/servers/s1/url", etcdServer.url());
            etcd.put("/traefik/frontends/from-etcd/backend", "kv");
            etcd.put("/traefik/frontends/from-etcd/routes/main/rule", "Host:etcd.test");

            int port = TestBackend.freePort();
            Path file = ConfigFile.write("file-and-etcd.toml", config(port, etcd.hostPort(), fileServer.url(), false));
            try (SwitchboardProcess proxy = SwitchboardProcess.of(Distribution.shared()).start("-c", file.toString())) {
                // 1. Merged: each provider's frontend routes to its own backend.
                proxy.awaitResponse(port, "file.test", "/", 200, START_TIMEOUT);
                awaitServedBy(proxy, port, "etcd.test", "etcd-server");
                assertServedBy(port, "file.test", "file-server");

                // 2. etcd defines a frontend named as the file's: rejected naming both; nothing shadowed.
                etcd.put("/traefik/frontends/from-file/backend", "kv");
                etcd.put("/traefik/frontends/from-file/routes/main/rule", "Host:clash.test");
                String clash = awaitLine(proxy, "frontend 'from-file' is defined by provider");
                assertTrue(clash.contains("'etcd'") && clash.contains("'file'") && clash.contains("etcd:/traefik/"),
                        "the clash names both providers and the etcd key: " + clash);
                assertTrue(proxy.output().contains("configuration from provider 'etcd' rejected"), proxy.output());
                assertServedBy(port, "file.test", "file-server");
                assertServedBy(port, "etcd.test", "etcd-server");
                assertEquals(404, HttpConnection.get(port, "clash.test", "/").status(),
                        "the clashing etcd snapshot must not be applied");

                // 3. Fixed in etcd (the frontend renamed): applies.
                etcd.deletePrefix("/traefik/frontends/from-file/");
                etcd.put("/traefik/frontends/clash/backend", "kv");
                etcd.put("/traefik/frontends/clash/routes/main/rule", "Host:clash.test");
                awaitServedBy(proxy, port, "clash.test", "etcd-server");
                assertServedBy(port, "file.test", "file-server");

                // 4. The file defines a backend named as etcd's: the file's snapshot is rejected naming both.
                replace(file, config(port, etcd.hostPort(), fileServer.url(), true));
                String backendClash = awaitLine(proxy, "backend 'kv' is defined by provider");
                assertTrue(backendClash.contains("'etcd'") && backendClash.contains("'file'")
                        && backendClash.contains(file.getFileName().toString()),
                        "the clash names both providers and the file: " + backendClash);
                assertTrue(!proxy.output().contains("frontend 'file2' of provider 'file' uses backend"),
                        "only the clash is reported, not the file's frontend using the file's own backend");
                assertEquals(404, HttpConnection.get(port, "file2.test", "/").status(),
                        "the clashing file snapshot must not be applied");
                assertServedBy(port, "etcd.test", "etcd-server");

                // 5. Fixed on the other side (etcd renames its backend): etcd's change applies, and the file's
                //    snapshot rejected in 4 is applied too, without the file having to change again.
                etcd.put("/traefik/backends/kv2/servers/s1/url", etcdServer.url());
                etcd.put("/traefik/frontends/from-etcd/backend", "kv2");
                etcd.put("/traefik/frontends/clash/backend", "kv2");
                etcd.deletePrefix("/traefik/backends/kv/");
                awaitServedBy(proxy, port, "file2.test", "file-server");
                assertServedBy(port, "etcd.test", "etcd-server");
                assertServedBy(port, "clash.test", "etcd-server");
                assertServedBy(port, "file.test", "file-server");

                // 6. An etcd frontend using a backend only the file defines: rejected naming both.
                etcd.put("/traefik/frontends/borrower/backend", "local");
                etcd.put("/traefik/frontends/borrower/routes/main/rule", "Host:borrow.test");
                String borrow = awaitLine(proxy, "frontend 'borrower' of provider 'etcd' uses backend 'local'");
                assertTrue(borrow.contains("only provider 'file' defines"), borrow);
                assertEquals(404, HttpConnection.get(port, "borrow.test", "/").status());
                assertServedBy(port, "etcd.test", "etcd-server");
                proxy.terminate();
            }
        }
    }

    private static void assertServedBy(int port, String host, String backend) throws IOException {
        HttpConnection.Response r = HttpConnection.get(port, host, "/");
        assertEquals(200, r.status(), host + ": " + r);
        assertEquals(backend, r.firstLine(), host);
    }

    private static void awaitServedBy(SwitchboardProcess proxy, int port, String host, String backend) {
        Poll.until(RELOAD_TIMEOUT, host + " served by " + backend, proxy, () -> {
            HttpConnection.Response r = HttpConnection.get(port, host, "/");
            return r.status() == 200 && backend.equals(r.firstLine()) ? r : null;
        });
    }

    /** Waits for a line of the proxy's output containing {@code text}, and returns it. */
    private static String awaitLine(SwitchboardProcess proxy, String text) {
        return Poll.until(RELOAD_TIMEOUT, "a line with \"" + text + "\" in the output", proxy,
                () -> proxy.output().lines().filter(l -> l.contains(text)).findFirst().orElse(null));
    }

    private static void replace(Path file, String text) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
