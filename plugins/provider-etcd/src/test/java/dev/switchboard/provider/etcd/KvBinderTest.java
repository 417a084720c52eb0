package dev.switchboard.provider.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.config.ConfigProblem;
import dev.switchboard.spi.model.Backend;
import dev.switchboard.spi.model.Configuration;
import dev.switchboard.spi.model.Frontend;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Traefik v1's key layout bound to the model: defaults, list forms, case, and every bad value named by its key. */
class KvBinderTest {

    private static KvBinder.Result bind(String... keyValues) {
        Map<String, String> kvs = new TreeMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            kvs.put(keyValues[i], keyValues[i + 1]);
        }
        return KvBinder.bind("/traefik", kvs);
    }

    private static Configuration ok(String... keyValues) {
        KvBinder.Result r = bind(keyValues);
        assertTrue(r.ok(), () -> "errors: " + r.errors());
        return r.configuration();
    }

    private static ConfigProblem onlyError(String... keyValues) {
        KvBinder.Result r = bind(keyValues);
        assertFalse(r.ok(), "expected an error");
        assertEquals(1, r.errors().size(), () -> "errors: " + r.errors());
        return r.errors().get(0);
    }

    @Test
    void traefikDocumentationExampleBindsWithKvDefaults() {
        Configuration c = ok(
                "/traefik/backends/backend1/circuitbreaker/expression", "NetworkErrorRatio() > 0.5",
                "/traefik/backends/backend1/servers/server1/url", "http://172.17.0.2:80",
                "/traefik/backends/backend1/servers/server1/weight", "10",
                "/traefik/backends/backend1/servers/server2/url", "http://172.17.0.3:80",
                "/traefik/backends/backend2/loadbalancer/method", "drr",
                "/traefik/backends/backend2/servers/server1/url", "http://172.17.0.4:80",
                "/traefik/frontends/frontend1/backend", "backend2",
                "/traefik/frontends/frontend1/routes/test_1/rule", "Host:test.localhost",
                "/traefik/frontends/frontend2/backend", "backend1",
                "/traefik/frontends/frontend2/passHostHeader", "false",
                "/traefik/frontends/frontend2/priority", "10",
                "/traefik/frontends/frontend2/entrypoints", "http, https",
                "/traefik/frontends/frontend2/routes/test_2/rule", "PathPrefix:/test");
        Backend b1 = c.backends().get("backend1");
        assertEquals(10, b1.servers().get("server1").weight());
        assertEquals(1, b1.servers().get("server2").weight(), "weight defaults to 1");
        assertEquals("NetworkErrorRatio() > 0.5", b1.circuitBreaker().expression());
        assertEquals("wrr", b1.loadBalancer().method());
        assertEquals("drr", c.backends().get("backend2").loadBalancer().method());
        Frontend f1 = c.frontends().get("frontend1");
        assertTrue(f1.passHostHeader(), "Traefik v1's KV default for passHostHeader is true");
        assertEquals(0, f1.priority());
        assertEquals(List.of(), f1.entryPoints());
        assertEquals("Host:test.localhost", f1.routes().get("test_1").rule());
        Frontend f2 = c.frontends().get("frontend2");
        assertFalse(f2.passHostHeader());
        assertEquals(10, f2.priority());
        assertEquals(List.of("http", "https"), f2.entryPoints());
        assertEquals("etcd:/traefik/frontends/frontend2/routes/test_2/rule",
                f2.routes().get("test_2").origin().file());
    }

    @Test
    void listsAreReadFromACommaValueOrFromNumberedSubKeys() {
        Configuration c = ok(
                "/traefik/frontends/f/backend", "b",
                "/traefik/frontends/f/entrypoints/0", "http",
                "/traefik/frontends/f/entrypoints/1", "https",
                "/traefik/frontends/f/whitelist/sourcerange", "10.0.0.0/8,192.168.0.0/16",
                "/traefik/backends/b/servers/s/url", "http://10.0.0.1:80");
        Frontend f = c.frontends().get("f");
        assertEquals(List.of("http", "https"), f.entryPoints());
        assertEquals(List.of("10.0.0.0/8", "192.168.0.0/16"), f.whiteList().sourceRange());
    }

    @Test
    void fixedSegmentsMatchWithoutCaseAndUserNamesKeepTheirCase() {
        Configuration c = ok(
                "/traefik/Frontends/MyFront/Backend", "MyBack",
                "/traefik/Frontends/MyFront/Routes/Main/Rule", "Path:/a",
                "/traefik/backends/MyBack/LoadBalancer/Method", "DRR",
                "/traefik/backends/MyBack/Servers/One/URL", "http://10.0.0.1:80");
        assertEquals("MyBack", c.frontends().get("MyFront").backend());
        assertNotNull(c.frontends().get("MyFront").routes().get("Main"));
        assertEquals("drr", c.backends().get("MyBack").loadBalancer().method());
        assertNotNull(c.backends().get("MyBack").servers().get("One"));
    }

    @Test
    void nonIntegerWeightIsAnErrorNamingTheKey() {
        ConfigProblem p = onlyError("/traefik/backends/b/servers/s/url", "http://10.0.0.1:80",
                "/traefik/backends/b/servers/s/weight", "1.5");
        assertEquals("etcd:/traefik/backends/b/servers/s/weight", p.origin().file());
        assertEquals("backends.b.servers.s.weight", p.key());
        assertTrue(p.message().contains("\"1.5\" is not an integer"), p.message());
    }

    @Test
    void serverUrlWithoutSchemeIsAnErrorNamingTheKey() {
        ConfigProblem p = onlyError("/traefik/backends/b/servers/s/url", "10.0.0.1:80");
        assertEquals("etcd:/traefik/backends/b/servers/s/url", p.origin().file());
        assertTrue(p.message().contains("is not an absolute URL"), p.message());
    }

    @Test
    void serverWithWeightButNoUrlIsAnErrorNamingTheMissingKey() {
        ConfigProblem p = onlyError("/traefik/backends/b/servers/s/weight", "2");
        assertTrue(p.message().contains("/traefik/backends/b/servers/s/url"), p.message());
    }

    @Test
    void unknownKeyUnderABackendIsAnErrorListingTheKnownOnes() {
        ConfigProblem p = onlyError("/traefik/backends/b/servers/s/url", "http://10.0.0.1:80",
                "/traefik/backends/b/loadbalancr/method", "drr");
        assertEquals("etcd:/traefik/backends/b/loadbalancr/method", p.origin().file());
        assertTrue(p.message().startsWith("unknown key") && p.message().contains("loadBalancer"), p.message());
    }

    @Test
    void sameKeyWrittenInTwoCasesIsAnErrorNamingBoth() {
        ConfigProblem p = onlyError("/traefik/frontends/f/backend", "b",
                "/traefik/frontends/f/passHostHeader", "true",
                "/traefik/frontends/f/passhostheader", "false");
        assertEquals("etcd:/traefik/frontends/f/passhostheader", p.origin().file());
        assertTrue(p.message().contains("the same key as /traefik/frontends/f/passHostHeader"), p.message());
    }

    @Test
    void badBooleanAndBadPriorityAreBothReported() {
        KvBinder.Result r = bind("/traefik/frontends/f/backend", "b",
                "/traefik/frontends/f/passhostheader", "yes",
                "/traefik/frontends/f/priority", "high");
        assertEquals(2, r.errors().size(), () -> "errors: " + r.errors());
        assertEquals(java.util.Set.of("etcd:/traefik/frontends/f/passhostheader", "etcd:/traefik/frontends/f/priority"),
                r.errors().stream().map(e -> e.origin().file()).collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void staticConfigurationKeysUnderThePrefixAreIgnoredWithAWarning() {
        KvBinder.Result r = bind("/traefik/entrypoints/http/address", ":80",
                "/traefik/loglevel", "DEBUG",
                "/traefik/backends/b/servers/s/url", "http://10.0.0.1:80");
        assertTrue(r.ok(), () -> "errors: " + r.errors());
        assertTrue(r.warnings().stream().anyMatch(w -> w.origin().file().equals("etcd:/traefik/entrypoints")));
        assertTrue(r.warnings().stream().anyMatch(w -> w.origin().file().equals("etcd:/traefik/loglevel")));
    }

    @Test
    void sectionsNotBuiltYetAreBoundAndWarnedAbout() {
        KvBinder.Result r = bind("/traefik/frontends/f/backend", "b",
                "/traefik/frontends/f/headers/customrequestheaders/x-script-name", "test",
                "/traefik/frontends/f/redirect/entrypoint", "https",
                "/traefik/frontends/f/ratelimit/extractorfunc", "client.ip",
                "/traefik/frontends/f/ratelimit/rateset/r1/period", "10s",
                "/traefik/frontends/f/ratelimit/rateset/r1/average", "100",
                "/traefik/frontends/f/ratelimit/rateset/r1/burst", "200",
                "/traefik/backends/b/servers/s/url", "http://10.0.0.1:80",
                "/traefik/backends/b/healthcheck/path", "/health",
                "/traefik/backends/b/healthcheck/interval", "5s",
                "/traefik/backends/b/maxconn/amount", "10",
                "/traefik/backends/b/maxconn/extractorfunc", "request.host",
                "/traefik/backends/b/loadbalancer/stickiness", "true",
                "/traefik/backends/b/loadbalancer/stickiness/cookiename", "sticky");
        assertTrue(r.ok(), () -> "errors: " + r.errors());
        Frontend f = r.configuration().frontends().get("f");
        assertEquals("test", f.headers().customRequestHeaders().get("X-Script-Name"));
        assertEquals("https", f.redirect().entryPoint());
        assertEquals(Duration.ofSeconds(10), f.rateLimit().rateSet().get("r1").period());
        Backend b = r.configuration().backends().get("b");
        assertEquals("/health", b.healthCheck().path());
        assertEquals(Duration.ofSeconds(5), b.healthCheck().interval());
        assertEquals(10, b.maxConn().amount());
        assertEquals("sticky", b.loadBalancer().stickiness().cookieName());
        for (String key : List.of("frontends.f.headers", "frontends.f.redirect", "frontends.f.ratelimit",
                "backends.b.healthcheck", "backends.b.maxconn", "backends.b.loadbalancer.stickiness")) {
            assertTrue(r.warnings().stream().anyMatch(w -> w.key().equals(key)
                    && w.message().contains("not built yet")), () -> key + " not warned: " + r.warnings());
        }
    }

    @Test
    void emptyCircuitBreakerExpressionMeansNoBreakerAsInTraefik() {
        Configuration c = ok("/traefik/backends/b/servers/s/url", "http://10.0.0.1:80",
                "/traefik/backends/b/circuitbreaker/expression", "");
        assertNull(c.backends().get("b").circuitBreaker());
    }

    @Test
    void keysOutsideThePrefixAreNotRead() {
        Configuration c = ok("/traefikother/backends/b/servers/s/url", "bad",
                "/traefik/backends/b/servers/s/url", "http://10.0.0.1:80");
        assertEquals(URI.create("http://10.0.0.1:80"), c.backends().get("b").servers().get("s").url());
    }
}
