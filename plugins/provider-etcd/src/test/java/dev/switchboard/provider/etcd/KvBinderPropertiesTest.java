package dev.switchboard.provider.etcd;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.config.ConfigProblem;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever is under the prefix (keys anyone may write into a shared store), binding never throws, and either yields a
 * configuration or rejects it with problems that each name a key under the prefix.
 */
class KvBinderPropertiesTest {

    private static final List<String> SEGMENTS = List.of("frontends", "backends", "f1", "b1", "s1", "r1",
            "servers", "url", "weight", "routes", "rule", "backend", "priority", "passHostHeader", "entrypoints",
            "loadbalancer", "method", "stickiness", "cookiename", "circuitbreaker", "expression", "healthcheck",
            "path", "interval", "maxconn", "amount", "extractorfunc", "headers", "customrequestheaders", "X-A",
            "ratelimit", "rateset", "period", "errors", "0", "1", "", "tls", "Frontends", "URL", "bogus");
    private static final List<String> VALUES = List.of("", "1", "-1", "99999999999", "true", "maybe", "wrr", "drr",
            "http://127.0.0.1:80", "10.0.0.1:80", "http://", "h2c://a:1", "Host:a.com", "10s", "1h2x", "a,b,,c",
            "client.ip", "request.header.X", "/health", "health", "\r\nX: y", "http://[::1]:99999", "ünïcödé");

    @Provide
    Arbitrary<Map<String, String>> stores() {
        Arbitrary<String> key = Arbitraries.of(SEGMENTS).list().ofMinSize(1).ofMaxSize(6)
                .map(segments -> "/traefik/" + String.join("/", segments));
        Arbitrary<Map.Entry<String, String>> entry = Combinators.combine(key, Arbitraries.of(VALUES))
                .as(Map::entry);
        return entry.list().ofMaxSize(25).map(entries -> {
            Map<String, String> m = new TreeMap<>();
            entries.forEach(e -> m.put(e.getKey(), e.getValue()));
            return m;
        });
    }

    @Property(tries = 500)
    void anyKeysUnderThePrefixBindOrAreRejectedNamingKeysNeverACrash(@ForAll("stores") Map<String, String> store) {
        KvBinder.Result r = KvBinder.bind("/traefik", store);
        if (r.ok()) {
            assertNotNull(r.configuration());
        } else {
            assertNull(r.configuration());
            for (ConfigProblem p : r.errors()) {
                assertTrue(p.origin().file().startsWith("etcd:/traefik/"), p.toString());
                assertTrue(!p.key().isEmpty() && !p.message().isEmpty(), p.toString());
            }
        }
    }
}
