package dev.switchboard.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugins loaded from a plugins folder (jars built here, as third parties build them) next to the kit's class-path
 * ones: a plugin bundling its own, older Jackson gets its own, while the kernel keeps its; a plugin whose matcher and
 * balancer throw on every call costs only its own decisions (no match; 502), and the event loops go on serving.
 */
@Timeout(60)
class PluginIsolationThroughProxyTest {
    private static final String BUNDLED_JACKSON = "2.17.2";

    private static final String OWN_JACKSON = """
            package iso;

            import com.fasterxml.jackson.databind.ObjectMapper;
            import com.fasterxml.jackson.databind.cfg.PackageVersion;
            import dev.switchboard.spi.match.Matcher;
            import dev.switchboard.spi.match.MatcherFactory;
            import dev.switchboard.spi.match.RuleClause;
            import dev.switchboard.spi.match.RuleException;

            public final class OwnJackson {
                /** JacksonVersion: V matches when the Jackson this plugin sees is V and parses JSON. */
                public static final class Factory implements MatcherFactory {
                    public String name() { return "JacksonVersion"; }
                    public Matcher create(RuleClause clause) throws RuleException {
                        try {
                            int answer = new ObjectMapper().readTree("{\\"answer\\": 42}").get("answer").asInt();
                            boolean same = clause.arguments().get(0).equals(PackageVersion.VERSION.toString());
                            return request -> same && answer == 42;
                        } catch (Exception e) {
                            throw new RuleException("Jackson failed in the plugin: " + e, e);
                        }
                    }
                }
            }
            """;

    private static final String HOSTILE = """
            package hostile;

            import dev.switchboard.spi.balance.Balancer;
            import dev.switchboard.spi.balance.BalancerContext;
            import dev.switchboard.spi.balance.BalancerFactory;
            import dev.switchboard.spi.match.Matcher;
            import dev.switchboard.spi.match.MatcherFactory;
            import dev.switchboard.spi.match.RuleClause;

            public final class Hostile {
                public static final class Explode implements MatcherFactory {
                    public String name() { return "Explode"; }
                    public Matcher create(RuleClause clause) {
                        return request -> { throw new IllegalStateException("matcher exploded"); };
                    }
                }
                public static final class ExplodingBalancer implements BalancerFactory {
                    public String name() { return "explode"; }
                    public Balancer create(BalancerContext context) {
                        return request -> { throw new OutOfMemoryError("balancer pretends to be out of memory"); };
                    }
                }
            }
            """;

    private static SwitchboardTestKit kit;

    @BeforeAll
    static void startWithPluginsFolder(@TempDir Path plugins) {
        Path libs = Path.of(System.getProperty("isolation.libs"));
        PluginJarBuilder.plugin("own-jackson").source("iso.OwnJackson", OWN_JACKSON)
                .extension("iso.OwnJackson$Factory")
                .library(libs.resolve("jackson-databind-" + BUNDLED_JACKSON + ".jar"))
                .library(libs.resolve("jackson-core-" + BUNDLED_JACKSON + ".jar"))
                .library(libs.resolve("jackson-annotations-" + BUNDLED_JACKSON + ".jar"))
                .writeTo(plugins);
        PluginJarBuilder.plugin("hostile").source("hostile.Hostile", HOSTILE)
                .extension("hostile.Hostile$Explode").extension("hostile.Hostile$ExplodingBalancer")
                .writeTo(plugins);
        kit = SwitchboardTestKit.builder()
                .pluginsDir(plugins)
                .backend("own", "own")
                .backend("kernels", "kernels")
                .backend("never", "never")
                .backend("safe", "safe")
                .backend("exploding", "exploding")
                .loadBalancer("exploding", "explode")
                .frontend("own", "own", "Host: jackson.test; JacksonVersion: " + BUNDLED_JACKSON)
                .frontend("kernels", "kernels", "Host: jackson.test")
                .frontend("boom", "never", "Host: boom.test; Explode: x")
                .frontend("safe", "safe", "Host: boom.test")
                .frontend("pick", "exploding", "Host: pick.test")
                .start();
    }

    @AfterAll
    static void stop() {
        if (kit != null) {
            kit.close();
        }
    }

    @Test
    void pluginBundlingAnOlderJacksonUsesItsOwnWhileTheKernelKeepsItsVersion() {
        assertNotEquals(BUNDLED_JACKSON, com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString(),
                "the kernel's Jackson must differ for this test to mean anything");
        assertEquals("own", kit.get("/", Map.of("Host", "jackson.test")).backend(),
                "the plugin's class loader gave it Jackson " + BUNDLED_JACKSON);
    }

    @Test
    void matcherThrowingOnEveryRequestDoesNotMatchAndTheNextFrontendAnswers() {
        for (int i = 0; i < 20; i++) {
            assertEquals("safe", kit.get("/", Map.of("Host", "boom.test")).backend());
        }
        assertEquals(0, kit.echo("never").requestCount());
    }

    @Test
    void balancerThrowingFromPickGives502ForItsBackendOnlyAndTheLoopsKeepServing() {
        for (int i = 0; i < 10; i++) {
            TestResponse r = kit.get("/", Map.of("Host", "pick.test"));
            assertEquals(502, r.status(), r::toString);
            assertNull(r.backend());
        }
        assertEquals(0, kit.echo("exploding").requestCount());
        for (int i = 0; i < 10; i++) {
            assertEquals("safe", kit.get("/", Map.of("Host", "boom.test")).backend(), "every loop still serves");
        }
    }
}
