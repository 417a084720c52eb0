package dev.switchboard.kernel.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.kernel.routing.Upstream;
import dev.switchboard.kernel.testing.TestRequest;
import dev.switchboard.spi.model.LoadBalancer;
import dev.switchboard.spi.model.Origin;
import dev.switchboard.spi.model.Server;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StickyCookieTest {
    static final Upstream A = upstream("a", 8081);
    static final Upstream B = upstream("b", 8082);
    static final List<Upstream> BOTH = List.of(A, B);

    static Upstream upstream(String name, int port) {
        Server s = new Server(name, URI.create("http://10.0.0.1:" + port), 1, Origin.UNKNOWN);
        return new Upstream(s, new InetSocketAddress("10.0.0.1", port), "10.0.0.1:" + port,
                "http://10.0.0.1:" + port);
    }

    static LoadBalancer stickiness(String cookie, boolean secure, boolean httpOnly, String sameSite) {
        return new LoadBalancer("wrr", false, new LoadBalancer.Stickiness(cookie, secure, httpOnly, sameSite), Map.of());
    }

    static TestRequest withCookie(String cookie) {
        return new TestRequest("http", "GET", "x.test", "/", Map.of("Cookie", cookie));
    }

    static String value(StickyCookie c, Upstream u) {
        String set = c.setCookie(u);
        return set.substring(set.indexOf('=') + 1, set.indexOf(';'));
    }

    @Test
    void defaultCookieNameIsTraefikV1sSha1OfBackendName() {
        // sha1("_TRAEFIK_BACKEND_backend1") = 73be0c1d8f23..., Traefik v1 keeps "_" and 5 hex digits
        assertEquals("_73be0", StickyCookie.derivedName("backend1"));
        assertEquals("_73be0", StickyCookie.of("backend1", stickiness(null, false, false, null), BOTH).name());
    }

    @Test
    void deprecatedStickyTrueUsesTraefikBackendCookie() {
        StickyCookie c = StickyCookie.of("web", new LoadBalancer("wrr", true, null, Map.of()), BOTH);
        assertEquals("_TRAEFIK_BACKEND", c.name());
    }

    @Test
    void notStickyWithoutEitherSetting() {
        assertNull(StickyCookie.of("web", LoadBalancer.DEFAULT, BOTH));
    }

    @Test
    void setCookieHasPathAndConfiguredAttributesAndNoServerAddress() {
        StickyCookie c = StickyCookie.of("web", stickiness("pin", true, true, "lax"), BOTH);
        String set = c.setCookie(A);
        assertTrue(set.matches("pin=[0-9a-f]{16}; Path=/; Secure; HttpOnly; SameSite=Lax"), set);
        assertFalse(set.contains("10.0.0.1") || set.contains("8081"), set);
        assertEquals("pin=" + value(c, B) + "; Path=/", StickyCookie.of("web", stickiness("pin", false, false,
                null), BOTH).setCookie(B));
    }

    @Test
    void valuesAreStableAcrossGenerationsAndDifferPerServerAndBackend() {
        StickyCookie first = StickyCookie.of("web", stickiness("pin", false, false, null), BOTH);
        StickyCookie again = StickyCookie.of("web", stickiness("pin", false, false, null), List.of(B, A));
        assertEquals(value(first, A), value(again, A));
        assertNotEquals(value(first, A), value(first, B));
        StickyCookie other = StickyCookie.of("api", stickiness("pin", false, false, null), BOTH);
        assertNotEquals(value(first, A), value(other, A));
    }

    @Test
    void cookieNamingAServerSendsItThere() {
        StickyCookie c = StickyCookie.of("web", stickiness("pin", false, false, null), BOTH);
        assertSame(B, c.stuck(withCookie("pin=" + value(c, B)), null));
        assertSame(A, c.stuck(withCookie("other=1; pin=" + value(c, A) + "; last=2"), null));
        assertSame(A, c.stuck(withCookie("pin=\"" + value(c, A) + "\""), null));
    }

    @Test
    void unknownMissingOrSimilarlyNamedCookiesAreNotStuck() {
        StickyCookie c = StickyCookie.of("web", stickiness("pin", false, false, null), BOTH);
        assertNull(c.stuck(withCookie("pin=0123456789abcdef"), null));
        assertNull(c.stuck(withCookie("xpin=" + value(c, A)), null));
        assertNull(c.stuck(withCookie("pinx=" + value(c, A)), null));
        assertNull(c.stuck(withCookie("pin=" + value(c, A) + "0"), null));
        assertNull(c.stuck(withCookie("pin=http://10.0.0.1:8081"), null)); // Traefik v1's clear-text value
        assertNull(c.stuck(TestRequest.get("http", "x.test", "/"), null));
    }

    @Test
    void findLocatesValueOfExactName() {
        assertEquals(4, StickyCookie.find("pin=1", "pin"));
        assertEquals(11, StickyCookie.find("a=b; pin = 1", "pin"));
        assertEquals(-1, StickyCookie.find("a=b; pinx=1; xpin=2", "pin"));
        assertEquals(-1, StickyCookie.find("", "pin"));
        assertEquals(-1, StickyCookie.find(";;; ;", "pin"));
    }
}
