package com.example.switchboard.clientip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testkit.CheckReport;
import dev.switchboard.testkit.SwitchboardExtension;
import dev.switchboard.testkit.SwitchboardTestKit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** ClientIP in a real proxy, on the class path as the test kit finds a plugin under test. Clients are 127.0.0.1. */
@Timeout(60)
class ClientIpThroughProxyTest {

    @RegisterExtension
    static final SwitchboardExtension PROXY = new SwitchboardExtension(() -> SwitchboardTestKit.builder()
            .backend("inside", "inside")
            .backend("office", "office")
            .backend("public", "public")
            .frontend("loopback", "inside", "Host: app.test; ClientIP: 127.0.0.0/8, ::1/128")
            .frontend("office", "office", "Host: office.test; ClientIP: 10.0.0.0/8")
            .frontend("public", "public", "HostRegexp: {any:.+}"));

    @Test
    void loopbackClientIsInTheLoopbackRangesAndReachesTheInsideBackend() {
        assertEquals("inside", PROXY.kit().get("/", Map.of("Host", "app.test")).backend());
    }

    @Test
    void clientOutsideTheRangesFallsThroughToTheNextFrontend() {
        assertEquals("public", PROXY.kit().get("/", Map.of("Host", "office.test")).backend());
    }

    @Test
    void spoofedXForwardedForFromAnUntrustedPeerDoesNotMatchTheOfficeRange() {
        assertEquals("public", PROXY.kit().get("/", Map.of("Host", "office.test",
                "X-Forwarded-For", "10.1.2.3", "X-Real-Ip", "10.1.2.3")).backend());
    }

    @Test
    void behindATrustedProxyTheRightMostUntrustedForwardedForEntryIsTheClient() {
        try (SwitchboardTestKit kit = SwitchboardTestKit.builder()
                .trustForwardedHeadersFrom("127.0.0.1", "192.168.0.0/16")
                .backend("office", "office")
                .backend("public", "public")
                .frontend("office", "office", "Host: office.test; ClientIP: 10.0.0.0/8")
                .frontend("public", "public", "HostRegexp: {any:.+}")
                .start()) {
            assertEquals("office", kit.get("/", Map.of("Host", "office.test",
                    "X-Forwarded-For", "10.1.2.3")).backend());
            assertEquals("office", kit.get("/", Map.of("Host", "office.test",
                    "X-Forwarded-For", "203.0.113.9, 10.1.2.3, 192.168.1.1")).backend(), "trusted hops skipped");
            assertEquals("public", kit.get("/", Map.of("Host", "office.test",
                    "X-Forwarded-For", "10.1.2.3, 203.0.113.9")).backend(), "a spoofed entry left of the client");
        }
    }

    @Test
    void invalidRangeIsRefusedByCheckWithTheRangeAndTheFrontend() {
        CheckReport report = SwitchboardTestKit.builder()
                .route("ClientIP: 10.0.0.0/33", "x")
                .check();
        assertFalse(report.valid());
        assertTrue(report.hasErrorContaining("10.0.0.0/33", "more than 32", "route1"), report::toString);
    }
}
