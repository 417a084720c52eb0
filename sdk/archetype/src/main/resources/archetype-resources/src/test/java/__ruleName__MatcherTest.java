package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testkit.CheckReport;
import dev.switchboard.testkit.SwitchboardTestKit;
import dev.switchboard.testkit.TestResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ${ruleName} in a real Switchboard started in this JVM by the SDK test kit: the plugin is found on the class path,
 * requests go over real sockets to echo backends that report what they received.
 */
class ${ruleName}MatcherTest {

    @Test
    void requestWithAListedValueReachesItsBackendAndOthersFallThrough() {
        try (SwitchboardTestKit kit = SwitchboardTestKit.builder()
                .route("Host: app.test; ${ruleName}: acme, globex", "tenants")
                .route("Host: app.test", "everyone")
                .start()) {
            TestResponse r = kit.get("/orders?id=7", Map.of("Host", "app.test", "X-${ruleName}", "acme"));
            assertEquals("tenants", r.backend(), r::toString);
            assertEquals("/orders", r.echoed().path());
            assertEquals("id=7", r.echoed().query());

            assertEquals("everyone", kit.get("/", Map.of("Host", "app.test", "X-${ruleName}", "initech")).backend());
            assertEquals("everyone", kit.get("/", Map.of("Host", "app.test")).backend());
        }
    }

    @Test
    void ruleWithoutValuesIsRefusedWithTheRuleName() {
        CheckReport report = SwitchboardTestKit.builder().route("${ruleName}:", "x").check();
        assertFalse(report.valid());
        assertTrue(report.hasErrorContaining("${ruleName}"), report::toString);
    }
}
