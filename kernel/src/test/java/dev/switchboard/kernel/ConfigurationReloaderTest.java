package dev.switchboard.kernel;

import static dev.switchboard.kernel.testing.Configs.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.kernel.plugin.PluginHost;
import dev.switchboard.kernel.routing.FrontendRoute;
import dev.switchboard.kernel.routing.RouterHolder;
import dev.switchboard.kernel.routing.RoutingCompiler;
import dev.switchboard.kernel.routing.RoutingSettings;
import dev.switchboard.kernel.testing.Poll;
import dev.switchboard.kernel.testing.TestRequest;
import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.config.ConfigProblem;
import dev.switchboard.spi.config.ProviderContext;
import dev.switchboard.spi.config.ProviderSettings;
import dev.switchboard.spi.model.Configuration;
import dev.switchboard.spi.model.Origin;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ConfigurationReloaderTest {
    static PluginHost host;
    RouterHolder holder = new RouterHolder();
    ConfigurationReloader reloader;

    @BeforeAll
    static void start() throws Exception {
        host = PluginHost.start(null, true);
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    @AfterEach
    void closeReloader() {
        if (reloader != null) {
            reloader.close();
        }
    }

    ProviderContext context(String provider, Duration throttle) {
        if (reloader == null) {
            reloader = new ConfigurationReloader(new RoutingCompiler(host.registry(), RoutingSettings.defaults()),
                    holder, throttle);
        }
        return reloader.contextFor(provider, new ProviderSettings(provider, Map.of(), Origin.UNKNOWN, null,
                Map.of()));
    }

    static Configuration routeTo(String frontend, String prefix) {
        return config().frontend(frontend, "b", "PathPrefix:" + prefix).backend("b", "http://127.0.0.1:1").build();
    }

    String routed(String path) {
        FrontendRoute f = holder.get().route(TestRequest.get("http", "a", path));
        return f == null ? null : f.name();
    }

    void flush() throws Exception {
        reloader.flush(Duration.ofSeconds(10));
    }

    @Test
    void firstSnapshotIsAppliedAtOnceAndPublished() throws Exception {
        ProviderContext file = context("file", Duration.ofHours(1));
        assertNull(routed("/a"));
        file.publish(routeTo("first", "/a"));
        flush();
        assertEquals("first", routed("/a"));
        assertEquals(1, reloader.generation());
    }

    @Test
    void badSnapshotIsRejectedWholeAndTheLastGoodKeepsServing() throws Exception {
        ProviderContext file = context("file", Duration.ZERO);
        file.publish(routeTo("good", "/a"));
        flush();
        file.publish(config().frontend("good", "b", "PathPrefix:/a")
                .frontend("broken", "b", "Hots:x.com").frontend("orphan", "nope", "PathPrefix:/o")
                .backend("b", "http://127.0.0.1:1").build());
        flush();
        assertEquals(1, reloader.rejections());
        assertEquals(2, reloader.lastProblems().size(), "every problem of the snapshot is reported");
        assertEquals("good", routed("/a"));
        assertNull(routed("/o"), "nothing of the rejected snapshot is published, not even its valid parts");
        assertEquals(1, reloader.generation());
    }

    @Test
    void providerReportedProblemsKeepTheLastGood() throws Exception {
        ProviderContext file = context("file", Duration.ZERO);
        file.publish(routeTo("good", "/a"));
        flush();
        file.reject(new ConfigException(new ConfigProblem(new Origin("rules.toml", 3), "frontends.x", "bad")));
        flush();
        assertEquals(1, reloader.rejections());
        assertEquals("good", routed("/a"));
    }

    @Test
    void identicalSnapshotsAreDropped() throws Exception {
        ProviderContext file = context("file", Duration.ZERO);
        file.publish(routeTo("f", "/a"));
        file.publish(routeTo("f", "/a"));
        file.publish(routeTo("f", "/a"));
        flush();
        assertEquals(1, reloader.generation());
        assertEquals(2, reloader.dropped());
    }

    @Test
    void burstIsThrottledToOneMoreApplyWithTheLatestSnapshot() throws Exception {
        ProviderContext file = context("file", Duration.ofSeconds(1));
        file.publish(routeTo("v0", "/a"));
        for (int i = 1; i <= 20; i++) {
            file.publish(routeTo("v" + i, "/a"));
        }
        flush();
        assertEquals(1, reloader.generation(), "only the first is applied at once");
        assertEquals("v0", routed("/a"));
        Poll.until(() -> reloader.generation() >= 2, Duration.ofSeconds(10), "the throttled apply");
        assertEquals("v20", routed("/a"), "latest wins");
        // Another burst within the next period coalesces again.
        file.publish(routeTo("w1", "/a"));
        file.publish(routeTo("w2", "/a"));
        Poll.until(() -> "w2".equals(routed("/a")), Duration.ofSeconds(10), "the second coalesced apply");
        assertEquals(3, reloader.generation());
    }

    @Test
    void providersAreMergedAndAClashRejectsNamingBoth() throws Exception {
        ProviderContext file = context("file", Duration.ZERO);
        ProviderContext rest = context("rest", Duration.ZERO);
        file.publish(routeTo("fromFile", "/f"));
        rest.publish(config().frontend("fromRest", "r", "PathPrefix:/r").backend("r", "http://127.0.0.1:2").build());
        flush();
        assertEquals("fromFile", routed("/f"));
        assertEquals("fromRest", routed("/r"));
        rest.publish(config().frontend("fromFile", "r", "PathPrefix:/x").backend("r", "http://127.0.0.1:2").build());
        flush();
        assertEquals(1, reloader.rejections());
        String p = reloader.lastProblems().get(0).toString();
        assertTrue(p.contains("provider 'file'") && p.contains("provider 'rest'"), p);
        assertEquals("fromRest", routed("/r"), "the rest provider's last good stays");
        // Once file gives the name up, rest's latest snapshot applies without rest having to publish again.
        file.publish(routeTo("renamed", "/f"));
        flush();
        assertEquals("renamed", routed("/f"));
        assertEquals("fromFile", routed("/x"), "rest's clashing snapshot was retried and now serves");
        assertNull(routed("/r"));
    }
}
