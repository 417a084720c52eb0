package dev.switchboard.provider.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away CA with a server certificate for 127.0.0.1 and a client certificate, as PEM files with PKCS#8 keys:
 * made with openssl when it is installed (milliseconds), else with the JDK's own keytool (always there, but each
 * call starts a JVM), the keys then written as PEM by the JDK.
 */
record TestCertificates(Path ca, Path serverCert, Path serverKey, Path clientCert, Path clientKey) {

    private static final String PASSWORD = "changeit";

    static TestCertificates create(Path dir) throws Exception {
        Files.createDirectories(dir);
        if (Files.isExecutable(Path.of("/usr/bin/openssl"))) {
            return withOpenssl(dir);
        }
        Path caStore = dir.resolve("ca.p12");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=switchboard-test-ca",
                "-ext", "bc:c", "-validity", "2", "-keystore", caStore.toString());
        Path ca = dir.resolve("ca.crt");
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", caStore.toString(), "-file", ca.toString());
        Path[] server = leaf(dir, caStore, "server", "CN=etcd", "san=ip:127.0.0.1", "eku=serverAuth,clientAuth");
        Path[] client = leaf(dir, caStore, "client", "CN=switchboard", null, "eku=clientAuth");
        return new TestCertificates(ca, server[0], server[1], client[0], client[1]);
    }

    /** A key pair signed by the CA: {certificate PEM, PKCS#8 key PEM}. */
    private static Path[] leaf(Path dir, Path caStore, String name, String dn, String san, String eku)
            throws Exception {
        Path store = dir.resolve(name + ".p12");
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dn,
                "-validity", "2", "-keystore", store.toString());
        Path csr = dir.resolve(name + ".csr");
        keytool("-certreq", "-alias", name, "-keystore", store.toString(), "-file", csr.toString());
        Path cert = dir.resolve(name + ".crt");
        List<String> gencert = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore", caStore.toString(),
                "-infile", csr.toString(), "-outfile", cert.toString(), "-rfc", "-validity", "2", "-ext", eku));
        if (san != null) {
            gencert.add("-ext");
            gencert.add(san);
        }
        keytool(gencert.toArray(new String[0]));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        Key key = ks.getKey(name, PASSWORD.toCharArray());
        Path keyFile = dir.resolve(name + ".key");
        Files.writeString(keyFile, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        return new Path[] {cert, keyFile};
    }

    private static TestCertificates withOpenssl(Path dir) throws Exception {
        Path ca = dir.resolve("ca.crt");
        Path caKey = dir.resolve("ca.key");
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                caKey.toString(), "-out", ca.toString(), "-days", "2", "-subj", "/CN=switchboard-test-ca",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        Path[] server = opensslLeaf(dir, ca, caKey, "server", "/CN=etcd",
                "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n");
        Path[] client = opensslLeaf(dir, ca, caKey, "client", "/CN=switchboard", "extendedKeyUsage=clientAuth\n");
        return new TestCertificates(ca, server[0], server[1], client[0], client[1]);
    }

    private static Path[] opensslLeaf(Path dir, Path ca, Path caKey, String name, String subject, String extensions)
            throws Exception {
        Path key = dir.resolve(name + ".key");
        Path csr = dir.resolve(name + ".csr");
        Path cert = dir.resolve(name + ".crt");
        Path ext = dir.resolve(name + ".ext");
        Files.writeString(ext, extensions);
        openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                key.toString(), "-out", csr.toString(), "-subj", subject);
        openssl(dir, "x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey", caKey.toString(),
                "-CAcreateserial", "-out", cert.toString(), "-days", "2", "-extfile", ext.toString());
        return new Path[] {cert, key};
    }

    private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("/usr/bin/openssl");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), () -> "openssl " + String.join(" ", args) + ": " + out);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storepass", PASSWORD, "-keypass", PASSWORD, "-storetype", "PKCS12", "-noprompt"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), () -> "keytool " + String.join(" ", args) + ": " + out);
    }
}
