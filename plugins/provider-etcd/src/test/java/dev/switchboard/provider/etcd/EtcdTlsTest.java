package dev.switchboard.provider.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.config.ConfigException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code [etcd.tls]} against a real etcd that serves TLS only and requires client certificates. */
class EtcdTlsTest {

    @TempDir
    Path dir;

    private TestCertificates certs;
    private EtcdServer etcd;
    private EtcdProvider provider;

    @BeforeEach
    void setUp() throws Exception {
        certs = TestCertificates.create(dir.resolve("pki"));
        etcd = EtcdServer.startedWithTls(dir, certs);
        etcd.put("/traefik/backends/b1/servers/s1/url", "http://127.0.0.1:8081");
        etcd.put("/traefik/frontends/f1/backend", "b1");
        etcd.put("/traefik/frontends/f1/routes/r1/rule", "Host:tls.example");
    }

    @AfterEach
    void tearDown() {
        if (provider != null) {
            provider.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    @Test
    void caAndClientCertificateReadAndWatchOverTls() throws Exception {
        provider = new EtcdProvider();
        RecordingContext ctx = RecordingContext.etcdSection(Map.of("endpoint", etcd.hostPort(),
                "tls", Map.of("ca", certs.ca().toString(), "cert", certs.clientCert().toString(),
                        "key", certs.clientKey().toString())));
        provider.start(ctx);
        assertEquals("Host:tls.example", ctx.nextSnapshot().frontends().get("f1").routes().get("r1").rule());
        etcd.put("/traefik/frontends/f1/routes/r1/rule", "Host:tls-changed.example");
        assertEquals("Host:tls-changed.example",
                ctx.nextSnapshot().frontends().get("f1").routes().get("r1").rule());
    }

    @Test
    void serverCertificateFromAnotherCaIsRefusedUnlessInsecureSkipVerify() throws Exception {
        TestCertificates other = TestCertificates.create(dir.resolve("other-pki"));
        Map<String, Object> wrongCa = Map.of("ca", other.ca().toString(), "cert", certs.clientCert().toString(),
                "key", certs.clientKey().toString());
        ConfigException e = assertThrows(ConfigException.class, () -> new EtcdProvider().check(
                RecordingContext.etcdSection(Map.of("endpoint", etcd.hostPort(), "tls", wrongCa))));
        assertTrue(e.getMessage().contains("cannot read /traefik/ from etcd"), e.getMessage());

        RecordingContext insecure = RecordingContext.etcdSection(Map.of("endpoint", etcd.hostPort(),
                "tls", Map.of("insecureSkipVerify", true, "cert", certs.clientCert().toString(),
                        "key", certs.clientKey().toString())));
        new EtcdProvider().check(insecure);
        assertEquals(1, insecure.nextSnapshot().frontends().size());
        assertTrue(insecure.warningText().contains("insecureSkipVerify"), insecure.warningText());
    }

    @Test
    void pkcs1KeyIsRefusedWithTheCommandThatConvertsIt() throws Exception {
        Path rsa = dir.resolve("rsa.key");
        java.nio.file.Files.writeString(rsa, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        ConfigException e = assertThrows(ConfigException.class, () -> new EtcdProvider().check(
                RecordingContext.etcdSection(Map.of("endpoint", etcd.hostPort(), "tls",
                        Map.of("cert", certs.clientCert().toString(), "key", rsa.toString())))));
        assertEquals("etcd.tls", e.problems().get(0).key());
        assertTrue(e.getMessage().contains("openssl pkcs8 -topk8 -nocrypt"), e.getMessage());
    }
}
