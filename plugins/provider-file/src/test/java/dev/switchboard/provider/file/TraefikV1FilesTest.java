package dev.switchboard.provider.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.model.Auth;
import dev.switchboard.spi.model.Backend;
import dev.switchboard.spi.model.Configuration;
import dev.switchboard.spi.model.Frontend;
import dev.switchboard.spi.model.Headers;
import dev.switchboard.spi.model.RateLimit;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real Traefik v1 files load into the model values a user wrote, every section included. */
class TraefikV1FilesTest {

    /** The dynamic configuration example of Traefik v1.7's documentation (backends/file.md), every section. */
    static final String FULL_EXAMPLE = """
            # Traefik v1.7 docs: docs/configuration/backends/file.md
            [backends]
              [backends.backend1]
                [backends.backend1.servers.server0]
                  url = "http://10.10.10.1:80"
                  weight = 1
                [backends.backend1.servers.server1]
                  url = "http://10.10.10.2:80"
                  weight = 2
                [backends.backend1.loadBalancer]
                  method = "drr"
                  [backends.backend1.loadBalancer.stickiness]
                    cookieName = "foobar"
                    secure = true
                    httpOnly = true
                    sameSite = "lax"
                [backends.backend1.circuitBreaker]
                  expression = "NetworkErrorRatio() > 0.5"
                [backends.backend1.healthCheck]
                  path = "/health"
                  interval = "10s"
                  port = 8080
                  scheme = "http"
                  hostname = "myhost.com"
                  [backends.backend1.healthCheck.headers]
                    My-Header = "bar"
                [backends.backend1.maxConn]
                  amount = 10
                  extractorFunc = "request.host"
                [backends.backend1.buffering]
                  maxRequestBodyBytes = 10485760
                  memRequestBodyBytes = 2097152
                  maxResponseBodyBytes = 10485760
                  memResponseBodyBytes = 2097152
                  retryExpression = "IsNetworkError() && Attempts() <= 2"
                [backends.backend1.responseForwarding]
                  flushInterval = "10ms"
              [backends.error]
                [backends.error.servers.error]
                  url = "http://10.10.10.9:8080"

            [frontends]
              [frontends.frontend1]
                entryPoints = ["http", "https"]
                backend = "backend1"
                passHostHeader = true
                priority = 42
                [frontends.frontend1.routes.route0]
                  rule = "Host:test.localhost;PathPrefix:/api"
                [frontends.frontend1.routes.route1]
                  rule = "Method:GET"
                [frontends.frontend1.passTLSClientCert]
                  pem = true
                  [frontends.frontend1.passTLSClientCert.infos]
                    notBefore = true
                    notAfter = true
                    [frontends.frontend1.passTLSClientCert.infos.subject]
                      country = true
                      commonName = true
                [frontends.frontend1.whiteList]
                  sourceRange = ["10.42.0.0/16", "152.89.1.33/32", "afed:be44::/16"]
                  useXForwardedFor = true
                [frontends.frontend1.auth]
                  headerField = "X-WebAuth-User"
                  [frontends.frontend1.auth.basic]
                    removeHeader = true
                    users = ["test:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/", "test2:$apr1$d9hr9HBB$4HxwgUir3HP4EsggP/QNo0"]
                    usersFile = ".htpasswd"
                [frontends.frontend1.headers]
                  SSLRedirect = true
                  SSLTemporaryRedirect = false
                  SSLHost = "secure.example.com"
                  SSLForceHost = true
                  STSSeconds = 315360000
                  STSIncludeSubdomains = true
                  STSPreload = true
                  forceSTSHeader = false
                  frameDeny = true
                  customFrameOptionsValue = "SAMEORIGIN"
                  contentTypeNosniff = true
                  browserXSSFilter = true
                  customBrowserXSSValue = "1; mode=block"
                  contentSecurityPolicy = "default-src 'self'"
                  publicKey = "pin-sha256=\\"base64+primary==\\"; max-age=5184000"
                  referrerPolicy = "same-origin"
                  allowedHosts = ["example.com", "www.example.com"]
                  hostsProxyHeaders = ["X-Forwarded-Host"]
                  isDevelopment = false
                  [frontends.frontend1.headers.customRequestHeaders]
                    X-Script-Name = "test"
                  [frontends.frontend1.headers.customResponseHeaders]
                    X-Custom-Response-Header = ""
                  [frontends.frontend1.headers.SSLProxyHeaders]
                    X-Forwarded-Proto = "https"
                [frontends.frontend1.errors]
                  [frontends.frontend1.errors.network]
                    status = ["500-599", "404"]
                    backend = "error"
                    query = "/{status}.html"
                [frontends.frontend1.ratelimit]
                  extractorfunc = "client.ip"
                  [frontends.frontend1.ratelimit.rateset.rateset1]
                    period = "10s"
                    average = 100
                    burst = 200
                  [frontends.frontend1.ratelimit.rateset.rateset2]
                    period = "3s"
                    average = 5
                    burst = 10
                [frontends.frontend1.redirect]
                  entryPoint = "https"
                  permanent = true
              [frontends.frontend2]
                backend = "backend1"
                [frontends.frontend2.routes.test_1]
                  rule = "Host:test2.localhost"

            [[tls]]
              entryPoints = ["https"]
              [tls.certificate]
                certFile = "integration/fixtures/https/snitest.com.cert"
                keyFile = "integration/fixtures/https/snitest.com.key"
            """;

    @TempDir
    Path dir;

    private RecordingContext check(String fileName, String text) throws Exception {
        Path main = dir.resolve("traefik.toml");
        Files.writeString(main, "[file]\nfilename = \"" + fileName + "\"\n");
        Files.writeString(dir.resolve(fileName), text);
        RecordingContext context = RecordingContext.fileSection(main, Map.of("filename", fileName));
        new FileProvider().check(context);
        return context;
    }

    @Test
    void documentedFullExampleLoadsEveryBackendValue() throws Exception {
        Configuration c = check("rules.toml", FULL_EXAMPLE).onlySnapshot();
        Backend b = c.backends().get("backend1");
        assertEquals(List.of("server0", "server1"), List.copyOf(b.servers().keySet()));
        assertEquals(URI.create("http://10.10.10.2:80"), b.servers().get("server1").url());
        assertEquals(2, b.servers().get("server1").weight());
        assertEquals(1, b.servers().get("server0").weight());
        assertEquals("drr", b.loadBalancer().method());
        assertEquals("foobar", b.loadBalancer().stickiness().cookieName());
        assertTrue(b.loadBalancer().stickiness().secure());
        assertTrue(b.loadBalancer().stickiness().httpOnly());
        assertEquals("lax", b.loadBalancer().stickiness().sameSite());
        assertEquals("NetworkErrorRatio() > 0.5", b.circuitBreaker().expression());
        assertEquals("mvel", b.circuitBreaker().language());
        assertEquals("/health", b.healthCheck().path());
        assertEquals(Duration.ofSeconds(10), b.healthCheck().interval());
        assertNull(b.healthCheck().timeout());
        assertEquals(8080, b.healthCheck().port());
        assertEquals("http", b.healthCheck().scheme());
        assertEquals("myhost.com", b.healthCheck().hostname());
        assertEquals(Map.of("My-Header", "bar"), b.healthCheck().headers());
        assertEquals(1, b.healthCheck().rise());
        assertEquals(1, b.healthCheck().fall());
        assertEquals(10, b.maxConn().amount());
        assertEquals("request.host", b.maxConn().extractorFunc());
        assertEquals(10485760, b.buffering().maxRequestBodyBytes());
        assertEquals(2097152, b.buffering().memRequestBodyBytes());
        assertEquals(10485760, b.buffering().maxResponseBodyBytes());
        assertEquals(2097152, b.buffering().memResponseBodyBytes());
        assertEquals("IsNetworkError() && Attempts() <= 2", b.buffering().retryExpression());
        assertEquals(Duration.ofMillis(10), b.responseForwarding().flushInterval());
    }

    @Test
    void documentedFullExampleLoadsEveryFrontendValue() throws Exception {
        Configuration c = check("rules.toml", FULL_EXAMPLE).onlySnapshot();
        Frontend f = c.frontends().get("frontend1");
        assertEquals(List.of("http", "https"), f.entryPoints());
        assertEquals("backend1", f.backend());
        assertTrue(f.passHostHeader());
        assertEquals(42, f.priority());
        assertEquals("Host:test.localhost;PathPrefix:/api", f.routes().get("route0").rule());
        assertEquals("Method:GET", f.routes().get("route1").rule());
        assertEquals(Map.of("pem", true, "infos", Map.of("notBefore", true, "notAfter", true,
                "subject", Map.of("country", true, "commonName", true))), f.passTLSClientCert());
        assertEquals(List.of("10.42.0.0/16", "152.89.1.33/32", "afed:be44::/16"), f.whiteList().sourceRange());
        assertTrue(f.whiteList().useXForwardedFor());
        Auth auth = f.auth();
        assertEquals("X-WebAuth-User", auth.headerField());
        assertEquals(2, auth.basic().users().size());
        assertEquals(".htpasswd", auth.basic().usersFile());
        assertTrue(auth.basic().removeHeader());
        Headers h = f.headers();
        assertTrue(h.sslRedirect());
        assertFalse(h.sslTemporaryRedirect());
        assertEquals("secure.example.com", h.sslHost());
        assertTrue(h.sslForceHost());
        assertEquals(315360000L, h.stsSeconds());
        assertTrue(h.stsIncludeSubdomains());
        assertTrue(h.stsPreload());
        assertFalse(h.forceSTSHeader());
        assertTrue(h.frameDeny());
        assertEquals("SAMEORIGIN", h.customFrameOptionsValue());
        assertTrue(h.contentTypeNosniff());
        assertTrue(h.browserXssFilter());
        assertEquals("1; mode=block", h.customBrowserXSSValue());
        assertEquals("default-src 'self'", h.contentSecurityPolicy());
        assertEquals("pin-sha256=\"base64+primary==\"; max-age=5184000", h.publicKey());
        assertEquals("same-origin", h.referrerPolicy());
        assertEquals(List.of("example.com", "www.example.com"), h.allowedHosts());
        assertEquals(List.of("X-Forwarded-Host"), h.hostsProxyHeaders());
        assertEquals(Map.of("X-Script-Name", "test"), h.customRequestHeaders());
        assertEquals(Map.of("X-Custom-Response-Header", ""), h.customResponseHeaders());
        assertEquals(Map.of("X-Forwarded-Proto", "https"), h.sslProxyHeaders());
        assertEquals(List.of("500-599", "404"), f.errors().get("network").status());
        assertEquals("error", f.errors().get("network").backend());
        assertEquals("/{status}.html", f.errors().get("network").query());
        RateLimit rl = f.rateLimit();
        assertEquals("client.ip", rl.extractorFunc());
        assertEquals(new RateLimit.RateSet(Duration.ofSeconds(10), 100, 200), rl.rateSet().get("rateset1"));
        assertEquals(new RateLimit.RateSet(Duration.ofSeconds(3), 5, 10), rl.rateSet().get("rateset2"));
        assertEquals("https", f.redirect().entryPoint());
        assertTrue(f.redirect().permanent());
    }

    @Test
    void passHostHeaderDefaultsToFalseAndPriorityToZeroForTheFileProvider() throws Exception {
        Frontend f = check("rules.toml", FULL_EXAMPLE).onlySnapshot().frontends().get("frontend2");
        assertFalse(f.passHostHeader());
        assertEquals(0, f.priority());
        assertEquals(List.of(), f.entryPoints());
        assertNull(f.headers());
        assertNull(f.auth());
    }

    @Test
    void everyModelElementCarriesItsDefiningLine() throws Exception {
        Configuration c = check("rules.toml", FULL_EXAMPLE).onlySnapshot();
        List<String> lines = FULL_EXAMPLE.lines().toList();
        Frontend f = c.frontends().get("frontend1");
        assertEquals("[frontends.frontend1]", lines.get(f.origin().line() - 1).strip());
        assertTrue(lines.get(f.routes().get("route1").origin().line() - 1).strip().startsWith("rule ="),
                "a route's origin is its rule's line, so rule errors point at the rule");
        Backend b = c.backends().get("backend1");
        assertEquals("[backends.backend1]", lines.get(b.origin().line() - 1).strip());
        assertEquals("[backends.backend1.servers.server1]",
                lines.get(b.servers().get("server1").origin().line() - 1).strip());
        assertEquals("[backends.backend1.circuitBreaker]",
                lines.get(b.circuitBreaker().origin().line() - 1).strip());
        assertTrue(f.origin().file().endsWith("rules.toml"));
    }

    @Test
    void mainFileWithoutFilenameServesItsOwnFrontendsAndKeepsStaticKeysSilent() throws Exception {
        // docs/basics.md @ v1.7: rules in traefik.toml itself
        Path main = dir.resolve("traefik.toml");
        Files.writeString(main, """
                defaultEntryPoints = ["http"]
                logLevel = "INFO"
                [entryPoints]
                  [entryPoints.http]
                  address = ":80"
                [api]
                [file]

                [backends]
                  [backends.backend1]
                    [backends.backend1.servers.server1]
                    url = "http://172.17.0.2:80"
                    weight = 10
                    [backends.backend1.servers.server2]
                    url = "http://172.17.0.3:80"
                    weight = 1
                  [backends.backend2]
                    [backends.backend2.servers.server1]
                    url = "https://172.17.0.4:443"
                [frontends]
                  [frontends.frontend1]
                  backend = "backend2"
                    [frontends.frontend1.routes.test_1]
                    rule = "Host:test.localhost"
                  [frontends.frontend2]
                  backend = "backend1"
                  passHostHeader = true
                  entrypoints = ["http"]
                    [frontends.frontend2.routes.test_1]
                    rule = "Host:localhost,{subdomain:[a-z]+}.localhost"
                  [frontends.frontend3]
                  entryPoints = ["http"]
                  backend = "backend2"
                    [frontends.frontend3.routes.test_1]
                    rule = "HostRegexp:{subdomain:[a-z]+}.localhost"
                """);
        RecordingContext context = RecordingContext.fileSection(main, Map.of());
        new FileProvider().check(context);
        Configuration c = context.onlySnapshot();
        assertEquals(List.of("frontend1", "frontend2", "frontend3"), List.copyOf(c.frontends().keySet()));
        assertEquals(10, c.backends().get("backend1").servers().get("server1").weight());
        assertEquals(443, c.backends().get("backend2").servers().get("server1").port());
        assertEquals(List.of("http"), c.frontends().get("frontend2").entryPoints(), "entrypoints matched ignoring case");
        assertEquals("", context.warningText(), "the static sections are not this provider's to warn about");
    }

    @Test
    void keysAreMatchedIgnoringCaseAsTraefikV1DecoderDid() throws Exception {
        Configuration c = check("rules.toml", """
                [backends.b.servers.s]
                URL = "http://a:1"
                [backends.b.loadbalancer]
                METHOD = "DRR"
                [backends.b.loadbalancer.stickiness]
                cookiename = "c"
                HTTPOnly = true
                [backends.b.maxconn]
                amount = 3
                extractorfunc = "client.ip"
                [frontends.f]
                Backend = "b"
                PassHostHeader = true
                [frontends.f.Routes.r]
                Rule = "Path:/"
                [frontends.f.headers]
                sslredirect = true
                BrowserXssFilter = true
                [frontends.f.headers.CustomRequestHeaders]
                X-Mixed-Case = "kept as written"
                [frontends.f.RateLimit]
                ExtractorFunc = "request.header.X-Api-Key"
                [frontends.f.RateLimit.RateSet.r1]
                Period = 10
                Average = 1
                Burst = 2
                """).onlySnapshot();
        Backend b = c.backends().get("b");
        assertEquals("drr", b.loadBalancer().method());
        assertEquals("c", b.loadBalancer().stickiness().cookieName());
        assertTrue(b.loadBalancer().stickiness().httpOnly());
        assertEquals("client.ip", b.maxConn().extractorFunc());
        Frontend f = c.frontends().get("f");
        assertTrue(f.passHostHeader());
        assertEquals("Path:/", f.routes().get("r").rule());
        assertTrue(f.headers().sslRedirect());
        assertTrue(f.headers().browserXssFilter());
        assertEquals(Map.of("X-Mixed-Case", "kept as written"), f.headers().customRequestHeaders());
        assertEquals(Duration.ofSeconds(10), f.rateLimit().rateSet().get("r1").period());
    }

    @Test
    void inlineTablesAndDottedKeysLoadLikeSections() throws Exception {
        Configuration c = check("rules.toml", """
                backends.b.servers = { s1 = { url = "h2c://10.0.0.1:8080", weight = 3 }, s2 = { url = "http://[::1]:81" } }
                backends.b.loadBalancer.method = "wrr"
                frontends.f.backend = "b"
                frontends.f.routes.r.rule = "PathPrefix:/x"
                """).onlySnapshot();
        Backend b = c.backends().get("b");
        assertEquals(3, b.servers().get("s1").weight());
        assertEquals("h2c", b.servers().get("s1").url().getScheme());
        assertEquals("::1", b.servers().get("s2").host());
        assertEquals(1, b.servers().get("s2").origin().line(), "keys of an inline table are on its line");
        assertEquals("PathPrefix:/x", c.frontends().get("f").routes().get("r").rule());
        assertEquals(4, c.frontends().get("f").routes().get("r").origin().line());
    }

    @Test
    void durationsAcceptGoSyntaxAndWholeSeconds() throws Exception {
        Configuration c = check("rules.toml", """
                [backends.b.servers.s]
                url = "http://a:1"
                [backends.b.healthCheck]
                path = "/ping"
                interval = "1m30s"
                timeout = 3
                rise = 2
                fall = 3
                [backends.b.responseForwarding]
                flushInterval = "1.5ms"
                [frontends.f]
                backend = "b"
                [frontends.f.routes.r]
                rule = "Path:/"
                [frontends.f.ratelimit]
                extractorFunc = "client.ip"
                [frontends.f.ratelimit.rateset.a]
                period = "30"
                average = 1
                burst = 1
                """).onlySnapshot();
        Backend b = c.backends().get("b");
        assertEquals(Duration.ofSeconds(90), b.healthCheck().interval());
        assertEquals(Duration.ofSeconds(3), b.healthCheck().timeout());
        assertEquals(2, b.healthCheck().rise());
        assertEquals(3, b.healthCheck().fall());
        assertEquals(Duration.ofNanos(1_500_000), b.responseForwarding().flushInterval());
        assertEquals(Duration.ofSeconds(30), c.frontends().get("f").rateLimit().rateSet().get("a").period());
    }

    @Test
    void deprecatedFrontendKeysFillTheirSuccessors() throws Exception {
        RecordingContext context = check("rules.toml", """
                [backends.b.servers.s]
                url = "http://a:1"
                [backends.b.loadBalancer]
                sticky = true
                [frontends.f]
                backend = "b"
                basicAuth = ["test:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/"]
                whitelistSourceRange = ["10.0.0.0/8"]
                passTLSCert = true
                [frontends.f.routes.r]
                rule = "Path:/"
                """);
        Configuration c = context.onlySnapshot();
        Frontend f = c.frontends().get("f");
        assertEquals(List.of("test:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/"), f.auth().basic().users());
        assertEquals(List.of("10.0.0.0/8"), f.whiteList().sourceRange());
        assertFalse(f.whiteList().useXForwardedFor());
        assertTrue(f.passTLSCert());
        assertTrue(c.backends().get("b").loadBalancer().sticky());
        String w = context.warningText();
        assertTrue(w.contains("rules.toml:7: frontends.f.basicAuth: deprecated"), w);
        assertTrue(w.contains("rules.toml:8: frontends.f.whitelistSourceRange: deprecated"), w);
        assertTrue(w.contains("rules.toml:4: backends.b.loadBalancer.sticky: deprecated"), w);
    }

    @Test
    void loadBalancerAndCircuitBreakerExtensionKeysBecomeOptions() throws Exception {
        Configuration c = check("rules.toml", """
                [backends.b.servers.s]
                url = "http://a:1"
                [backends.b.loadBalancer]
                method = "wrr"
                smooth = true
                [backends.b.circuitBreaker]
                expression = "NetworkErrorRatio() > 0.5"
                language = "predicate"
                window = "20s"
                minimumRequests = 20
                """).onlySnapshot();
        Backend b = c.backends().get("b");
        assertEquals(Map.of("smooth", true), b.loadBalancer().options());
        assertEquals("predicate", b.circuitBreaker().language());
        assertEquals(Map.of("window", "20s", "minimumRequests", 20L), b.circuitBreaker().options());
    }

    @Test
    void emptyFileGivesAnEmptyConfiguration() throws Exception {
        Configuration c = check("rules.toml", "# nothing yet\n").onlySnapshot();
        assertTrue(c.frontends().isEmpty());
        assertTrue(c.backends().isEmpty());
    }

    @Test
    void unchangedFileGivesAnEqualSnapshotSoTheKernelCanDropIt() throws IOException, Exception {
        Configuration first = check("rules.toml", FULL_EXAMPLE).onlySnapshot();
        Configuration second = check("rules.toml", "\n\n" + FULL_EXAMPLE).onlySnapshot();
        assertNotNull(first);
        assertEquals(first, second, "only lines moved: origins do not take part in equality");
    }
}
