package dev.switchboard.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testkit.SwitchboardTestKit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The balancers plugin (wrr, drr) choosing among real echo servers behind a running proxy. */
@Timeout(60)
class BalancersThroughProxyTest {

    @Test
    void wrrWithWeightsThreeAndOneSendsThreeOfEveryFourRequestsToTheHeavyServerInSmoothOrder() {
        try (SwitchboardTestKit kit = SwitchboardTestKit.builder()
                .echo("heavy", "light")
                .dynamicToml("""
                        [frontends.all]
                        backend = "pool"
                          [frontends.all.routes.any]
                          rule = "PathPrefix: /"
                        [backends.pool.loadBalancer]
                        method = "wrr"
                        [backends.pool.servers.heavy]
                        url = "${echo.heavy}"
                        weight = 3
                        [backends.pool.servers.light]
                        url = "${echo.light}"
                        weight = 1
                        """)
                .start()) {
            List<String> order = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                order.add(kit.get("/").backend());
            }
            assertEquals(6, kit.echo("heavy").requestCount(), order::toString);
            assertEquals(2, kit.echo("light").requestCount(), order::toString);
            // Never two light picks in a row: oxy's interleaved sequence, not three heavy then one light in a block.
            for (int i = 1; i < order.size(); i++) {
                assertTrue(!(order.get(i).equals("light") && order.get(i - 1).equals("light")), order::toString);
            }
        }
    }

    @Test
    void drrWithEqualWeightsAndHealthyServersServesEveryServer() {
        try (SwitchboardTestKit kit = SwitchboardTestKit.builder()
                .route("PathPrefix: /", "a", "b", "c")
                .loadBalancer("route1", "drr")
                .start()) {
            for (int i = 0; i < 9; i++) {
                assertEquals(200, kit.get("/").status());
            }
            assertEquals(3, kit.echo("a").requestCount());
            assertEquals(3, kit.echo("b").requestCount());
            assertEquals(3, kit.echo("c").requestCount());
        }
    }

    @Test
    void unknownMethodIsRefusedAtStartNamingTheMethod() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.switchboard.testkit.KitStartException.class,
                () -> SwitchboardTestKit.builder().route("PathPrefix: /", "a").loadBalancer("route1", "nope").start());
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }
}
