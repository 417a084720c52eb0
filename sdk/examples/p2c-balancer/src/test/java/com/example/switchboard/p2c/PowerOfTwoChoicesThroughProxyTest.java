package com.example.switchboard.p2c;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testkit.EchoBackend;
import dev.switchboard.testkit.Poll;
import dev.switchboard.testkit.SwitchboardTestKit;
import dev.switchboard.testkit.TestResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** p2c in a real proxy, found on the class path by the test kit. */
@Timeout(60)
class PowerOfTwoChoicesThroughProxyTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void whileOneServerHoldsARequestEveryNewRequestGoesToTheIdleOne() throws Exception {
        try (SwitchboardTestKit kit = SwitchboardTestKit.builder()
                .route("PathPrefix: /", "slow", "fast")
                .loadBalancer("route1", "p2c")
                .start()) {
            EchoBackend slow = kit.echo("slow").hold();
            EchoBackend fast = kit.echo("fast");
            // Ties (nothing in flight) are broken at random: send until one request is parked on the slow server.
            List<CompletableFuture<TestResponse>> parked = new ArrayList<>();
            for (int attempt = 0; attempt < 40 && slow.requestCount() == 0; attempt++) {
                int before = slow.requestCount() + fast.requestCount();
                CompletableFuture<TestResponse> r = kit.getAsync("/park", Map.of());
                Poll.until(WAIT, () -> "request " + before + " reached no backend",
                        () -> slow.requestCount() + fast.requestCount() > before);
                if (slow.requestCount() == 0) {
                    assertEquals("fast", r.get(10, TimeUnit.SECONDS).backend());
                } else {
                    parked.add(r);
                }
            }
            assertEquals(1, slow.requestCount(), "a request should be parked on the slow server");
            int fastBefore = fast.requestCount();
            for (int i = 0; i < 20; i++) {
                assertEquals("fast", kit.get("/next").backend(), "slow has one in flight, fast none");
            }
            assertEquals(fastBefore + 20, fast.requestCount());
            slow.release();
            assertEquals("slow", parked.get(0).get(10, TimeUnit.SECONDS).backend());
        }
    }

    @Test
    void sequentialRequestsWithNothingInFlightReachEveryServer() {
        try (SwitchboardTestKit kit = SwitchboardTestKit.builder()
                .route("PathPrefix: /", "a", "b", "c")
                .loadBalancer("route1", "p2c")
                .start()) {
            for (int i = 0; i < 60; i++) {
                assertEquals(200, kit.get("/").status());
            }
            for (String name : List.of("a", "b", "c")) {
                assertTrue(kit.echo(name).requestCount() > 0, name + " got none of 60 requests");
            }
        }
    }
}
