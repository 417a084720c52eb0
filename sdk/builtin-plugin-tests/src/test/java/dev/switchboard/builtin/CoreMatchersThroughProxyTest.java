package dev.switchboard.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testkit.CheckReport;
import dev.switchboard.testkit.SwitchboardExtension;
import dev.switchboard.testkit.SwitchboardTestKit;
import dev.switchboard.testkit.TestResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The core-matchers plugin (Host, PathPrefix, Headers, Method, PathPrefixStrip, AddPrefix) in a running proxy. */
@Timeout(60)
class CoreMatchersThroughProxyTest {

    @RegisterExtension
    static final SwitchboardExtension PROXY = new SwitchboardExtension(() -> SwitchboardTestKit.builder()
            .backend("api", "api")
            .backend("web", "web")
            .backend("admin", "admin")
            .backend("legacy", "legacy")
            .frontend("api", "api", "Host: shop.test; PathPrefixStrip: /api")
            .frontend("admin", "admin", "Host: shop.test; PathPrefix: /admin; Headers: X-Role, ops; Method: GET, HEAD")
            .frontend("legacy", "legacy", "Host: legacy.test; AddPrefix: /v1")
            .frontend("web", "web", "Host: shop.test"));

    private static TestResponse get(String host, String target, Map<String, String> extra) {
        Map<String, String> headers = new java.util.HashMap<>(extra);
        headers.put("Host", host);
        return PROXY.kit().get(target, headers);
    }

    @Test
    void pathPrefixStripRoutesToApiAndTheBackendSeesThePathWithoutThePrefix() {
        TestResponse r = get("shop.test", "/api/users/7?full=1", Map.of());
        assertEquals("api", r.backend(), r::toString);
        assertEquals("/users/7", r.echoed().path());
        assertEquals("full=1", r.echoed().query());
        assertEquals("/api", r.echoed().header("X-Forwarded-Prefix"), "Traefik v1 tells the backend what was stripped");
    }

    @Test
    void hostMatchIgnoresCaseAndPortAndFallsBackToTheShorterRule() {
        TestResponse r = get("SHOP.test:8080", "/catalog", Map.of());
        assertEquals("web", r.backend(), r::toString);
        assertEquals("/catalog", r.echoed().path());
    }

    @Test
    void adminNeedsTheRoleHeaderAndAReadMethodOtherwiseTheHostFrontendAnswers() {
        assertEquals("admin", get("shop.test", "/admin/x", Map.of("X-Role", "ops")).backend());
        assertEquals("web", get("shop.test", "/admin/x", Map.of("X-Role", "guest")).backend());
        assertEquals("web", PROXY.kit().send("POST", "/admin/x", Map.of("Host", "shop.test", "X-Role", "ops"), "")
                .backend());
    }

    @Test
    void addPrefixPrependsToThePathTheBackendSees() {
        TestResponse r = get("legacy.test", "/orders", Map.of());
        assertEquals("legacy", r.backend());
        assertEquals("/v1/orders", r.echoed().path());
    }

    @Test
    void unknownHostIsAnswered404WithoutReachingAnyBackend() {
        TestResponse r = get("nowhere.test", "/", Map.of());
        assertEquals(404, r.status());
        assertNull(r.backend());
    }

    @Test
    void invalidPathPrefixArgumentIsRefusedByCheckNamingTheFrontend() {
        CheckReport report = SwitchboardTestKit.builder()
                .frontend("broken", "b", "PathPrefix:")
                .backend("b", "x")
                .check();
        assertFalse(report.valid());
        assertTrue(report.hasErrorContaining("broken", "PathPrefix"), report::toString);
    }
}
