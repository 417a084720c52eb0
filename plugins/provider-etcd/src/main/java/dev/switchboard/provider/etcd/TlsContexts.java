package dev.switchboard.provider.etcd;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** The JDK {@link SSLContext} for {@code [etcd.tls]}: PEM CA bundle, PEM client certificate and PKCS#8 key. */
final class TlsContexts {
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private TlsContexts() {
    }

    /** Builds the context; a message naming the file and what is wrong is thrown as {@link IOException}. */
    static SSLContext of(EtcdSettings.Tls tls) throws IOException {
        try {
            TrustManager[] trust = null;
            if (tls.insecureSkipVerify()) {
                trust = new TrustManager[] {new TrustEverything()};
            } else if (tls.ca() != null) {
                KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
                ks.load(null, null);
                int i = 0;
                for (Certificate c : certificates(tls.ca())) {
                    ks.setCertificateEntry("ca" + i++, c);
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ks);
                trust = tmf.getTrustManagers();
            }
            KeyManager[] keys = null;
            if (tls.cert() != null && tls.key() != null) {
                List<Certificate> chain = new ArrayList<>(certificates(tls.cert()));
                PrivateKey key = privateKey(tls.key());
                KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
                ks.load(null, null);
                ks.setKeyEntry("client", key, new char[0], chain.toArray(new Certificate[0]));
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, new char[0]);
                keys = kmf.getKeyManagers();
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keys, trust, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("[etcd.tls]: " + e.getMessage(), e);
        }
    }

    private static Collection<? extends Certificate> certificates(java.nio.file.Path file)
            throws IOException, GeneralSecurityException {
        byte[] bytes = Files.readAllBytes(file);
        Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(bytes));
        if (certs.isEmpty()) {
            throw new IOException("[etcd.tls]: no certificate in " + file);
        }
        return certs;
    }

    private static PrivateKey privateKey(java.nio.file.Path file) throws IOException, GeneralSecurityException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            if (type.equals("PRIVATE KEY")) {
                byte[] der = Base64.getMimeDecoder().decode(m.group(2));
                for (String alg : List.of("RSA", "EC", "Ed25519")) {
                    try {
                        return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
                    } catch (GeneralSecurityException notThisOne) {
                        // try the next algorithm
                    }
                }
                throw new IOException("[etcd.tls] key " + file + ": not an RSA, EC or Ed25519 PKCS#8 key");
            }
            if (type.endsWith("PRIVATE KEY")) {
                throw new IOException("[etcd.tls] key " + file + " is " + type + " (PKCS#1/SEC1): convert it with "
                        + "'openssl pkcs8 -topk8 -nocrypt -in " + file.getFileName() + "'");
            }
        }
        throw new IOException("[etcd.tls] key " + file + ": no PEM PRIVATE KEY block");
    }

    /**
     * {@code insecureSkipVerify = true}: accepts any server certificate. Being an {@link X509ExtendedTrustManager},
     * it also replaces the JDK's host name check (which the default trust manager performs).
     */
    private static final class TrustEverything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
