package dev.switchboard.kernel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.config.ConfigProblem;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A traefik.toml as Traefik v1.7 users write them, every common section used: it loads, with warnings only. */
class TraefikSampleStaticConfigTest {
    static final String SAMPLE = """
            debug = false
            logLevel = "WARN"
            checkNewVersion = false
            sendAnonymousUsage = false
            defaultEntryPoints = ["http", "https"]
            InsecureSkipVerify = true
            maxIdleConnsPerHost = 200
            constraints = ["tag==api"]

            [entryPoints]
              [entryPoints.http]
              address = ":80"
                [entryPoints.http.redirect]
                entryPoint = "https"
              [entryPoints.https]
              address = ":443"
              compress = true
                [entryPoints.https.tls]
                minVersion = "VersionTLS12"
                cipherSuites = ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"]
                  [[entryPoints.https.tls.certificates]]
                  certFile = "integration/fixtures/https/snitest.com.cert"
                  keyFile = "integration/fixtures/https/snitest.com.key"
                  [entryPoints.https.tls.clientCA]
                  files = ["ca.crt"]
                  optional = true
                [entryPoints.https.whiteList]
                sourceRange = ["10.42.0.0/16", "152.89.1.33/32", "afed:be44::/16"]
                useXForwardedFor = true
                [entryPoints.https.proxyProtocol]
                trustedIPs = ["10.10.10.1"]
                [entryPoints.https.forwardedHeaders]
                trustedIPs = ["127.0.0.1/32", "192.168.1.7"]
                [entryPoints.https.auth]
                headerField = "X-WebAuth-User"
                  [entryPoints.https.auth.basic]
                  users = ["test:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/"]
              [entryPoints.traefik]
              address = ":8080"

            [lifeCycle]
            requestAcceptGraceTimeout = "10s"
            graceTimeOut = "10s"

            [respondingTimeouts]
            readTimeout = "5s"
            writeTimeout = "5s"
            idleTimeout = "360s"

            [forwardingTimeouts]
            dialTimeout = "30s"
            responseHeaderTimeout = "0s"

            [traefikLog]
            filePath = "/path/to/traefik.log"
            format = "json"

            [accessLog]
            filePath = "/path/to/access.log"
            format = "json"
            bufferingSize = 100
              [accessLog.filters]
              statusCodes = ["200", "300-302"]
              retryAttempts = true
              minDuration = "10ms"
              [accessLog.fields]
              defaultMode = "keep"
                [accessLog.fields.names]
                "ClientUsername" = "drop"
                [accessLog.fields.headers]
                defaultMode = "keep"
                  [accessLog.fields.headers.names]
                  "User-Agent" = "redact"

            [api]
            entryPoint = "traefik"
            dashboard = true
            debug = true
              [api.statistics]
              recentErrors = 10

            [ping]
            entryPoint = "traefik"

            [metrics]
              [metrics.prometheus]
              entryPoint = "traefik"
              buckets = [0.1,0.3,1.2,5.0]

            [retry]
            attempts = 3

            [healthcheck]
            interval = "30s"

            [hostResolver]
            cnameFlattening = true

            [tracing]
            backend = "jaeger"
            serviceName = "traefik"
              [tracing.jaeger]
              samplingServerURL = "http://localhost:5778/sampling"

            [acme]
            email = "test@traefik.io"
            storage = "acme.json"
            entryPoint = "https"
            onHostRule = true
              [acme.httpChallenge]
              entryPoint = "http"
              [[acme.domains]]
              main = "local1.com"
              sans = ["test1.local1.com", "test2.local1.com"]

            [docker]
            endpoint = "unix:///var/run/docker.sock"
            domain = "docker.localhost"
            watch = true
            exposedByDefault = false

            [kubernetes]
            namespaces = ["default", "production"]

            [consulCatalog]
            endpoint = "127.0.0.1:8500"

            [rest]
            entryPoint = "traefik"

            [file]
            filename = "rules.toml"
            watch = true
            """;

    @Test
    void realWorldTraefikTomlLoadsWithOneWarningPerUnbuiltSection() throws Exception {
        StaticConfig c = StaticConfigLoader.parse(SAMPLE, null, "traefik.toml");
        List<String> w = c.warnings().stream().map(ConfigProblem::toString).collect(Collectors.toList());
        assertEquals(LogLevel.WARN, c.logLevel());
        assertEquals(List.of("http", "https"), c.defaultEntryPoints());
        assertEquals(3, c.entryPoints().size());
        assertEquals(List.of("127.0.0.1/32", "192.168.1.7"), c.entryPoints().get("https").trustedProxies());
        assertEquals(java.time.Duration.ofSeconds(360), c.idleTimeout());
        assertTrue(w.stream().noneMatch(x -> x.contains(": retry") || x.contains(": healthcheck")), w.toString());
        for (String section : List.of("acme", "traefikLog", "metrics", "hostResolver",
                "tracing", "constraints", "InsecureSkipVerify", "maxIdleConnsPerHost", "api", "ping", "accessLog",
                "entryPoints.http.redirect", "entryPoints.https.tls", "entryPoints.https.whiteList",
                "entryPoints.https.proxyProtocol", "entryPoints.https.auth", "entryPoints.https.compress",
                "lifeCycle.requestAcceptGraceTimeout")) {
            assertEquals(1, w.stream().filter(x -> x.contains(": " + section + ": ")).count(),
                    section + " warned once in " + w);
        }
        assertTrue(w.stream().allMatch(x -> x.matches("traefik\\.toml:\\d+: .*")), w.toString());
        // Provider sections are kept for the provider host.
        for (String p : List.of("docker", "kubernetes", "consulCatalog", "rest", "file")) {
            assertTrue(c.section(p) != null, p);
        }
    }
}
