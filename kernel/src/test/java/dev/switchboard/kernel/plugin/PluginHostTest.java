package dev.switchboard.kernel.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.kernel.testing.CapturedStderr;
import dev.switchboard.kernel.testing.TestPluginJars;
import dev.switchboard.kernel.testing.TestRequest;
import dev.switchboard.spi.SpiVersion;
import dev.switchboard.spi.balance.BalancerContext;
import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.config.ConfigProblem;
import dev.switchboard.spi.match.Matcher;
import dev.switchboard.spi.match.RuleClause;
import dev.switchboard.spi.model.Backend;
import dev.switchboard.spi.model.Origin;
import dev.switchboard.spi.model.Server;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginHostTest {

    static final String GREET_MATCHER = """
            package greet;
            import dev.switchboard.spi.match.*;
            import org.pf4j.Extension;
            @Extension
            public class GreetMatcherFactory implements MatcherFactory {
                public String name() { return "Greet"; }
                public Matcher create(RuleClause clause) throws RuleException {
                    if (clause.arguments().isEmpty()) throw new RuleException("Greet needs a header value");
                    String want = clause.arguments().get(0);
                    return request -> want.equals(request.header("X-Greet"));
                }
            }
            """;

    static final String FIRST_BALANCER = """
            package greet;
            import dev.switchboard.spi.balance.*;
            import dev.switchboard.spi.model.Server;
            import org.pf4j.Extension;
            @Extension
            public class FirstBalancerFactory implements BalancerFactory {
                public String name() { return "First"; }
                public Balancer create(BalancerContext c) {
                    return request -> c.servers().isEmpty() ? null : c.servers().get(0);
                }
            }
            """;

    static final String THROWING = """
            package boom;
            import dev.switchboard.spi.match.*;
            import dev.switchboard.spi.balance.*;
            import org.pf4j.Extension;
            public class Throwing {
                @Extension
                public static class M implements MatcherFactory {
                    public String name() { return "Boom"; }
                    public Matcher create(RuleClause clause) {
                        return request -> { throw new IllegalStateException("matcher exploded"); };
                    }
                }
                @Extension
                public static class B implements BalancerFactory {
                    public String name() { return "boom"; }
                    public Balancer create(BalancerContext c) {
                        return request -> { throw new OutOfMemoryError("balancer exploded"); };
                    }
                }
            }
            """;

    private static RuleClause clause(String function, String... args) {
        return new RuleClause(function, String.join(",", args), List.of(args), false, "f", Origin.UNKNOWN);
    }

    private static List<String> problems(ConfigException e) {
        return e.problems().stream().map(ConfigProblem::toString).collect(Collectors.toList());
    }

    @Test
    void pluginJarInFolderIsLoadedAndItsExtensionNamesAreLogged(@TempDir Path plugins) throws Exception {
        Path jar = TestPluginJars.plugin("greet").version("1.2.3")
                .source("greet.GreetMatcherFactory", GREET_MATCHER, true)
                .source("greet.FirstBalancerFactory", FIRST_BALANCER, true)
                .writeTo(plugins);
        try (CapturedStderr log = new CapturedStderr(); PluginHost host = PluginHost.start(plugins, false)) {
            ExtensionRegistry r = host.registry();
            assertEquals(java.util.Set.of("Greet"), r.matcherNames());
            assertNotNull(r.balancer("FIRST"), "balancer names are case-insensitive");
            assertEquals("greet", r.matcher("Greet").ref().pluginId());
            Matcher m = r.matcher("Greet").create(clause("Greet", "hello"));
            assertTrue(m.matches(new TestRequest("http", "GET", "a", "/", Map.of("X-Greet", "hello"))));
            assertFalse(m.matches(new TestRequest("http", "GET", "a", "/", Map.of())));
            assertTrue(log.text().contains("plugin 'greet' 1.2.3 (" + jar + ") provides: matcher Greet, balancer First"),
                    log.text());
        }
    }

    @Test
    void pluginJarThatBundlesItsOwnCopyOfTheSpiStillProvidesItsExtensions(@TempDir Path plugins) throws Exception {
        // The most common PF4J complaint: a second copy of the contract makes extensions "not assignable".
        TestPluginJars.plugin("greedy").source("greet.GreetMatcherFactory", GREET_MATCHER, true)
                .bundle(dev.switchboard.spi.match.MatcherFactory.class, dev.switchboard.spi.match.Matcher.class,
                        RuleClause.class)
                .writeTo(plugins);
        try (PluginHost host = PluginHost.start(plugins, false)) {
            assertNotNull(host.registry().matcher("Greet"));
            assertTrue(host.warnings().isEmpty(), host.warnings().toString());
        }
    }

    @Test
    void pluginClassLoaderIsCollectedAfterTheHostIsClosedEvenAfterFailures(@TempDir Path plugins) throws Exception {
        TestPluginJars.plugin("boom").source("boom.Throwing", THROWING, false)
                .extension("boom.Throwing$M").extension("boom.Throwing$B").writeTo(plugins);
        java.lang.ref.WeakReference<ClassLoader> loader = useAndClose(plugins);
        dev.switchboard.kernel.testing.Poll.until(() -> {
            System.gc();
            return loader.get() == null;
        }, java.time.Duration.ofSeconds(20), "the plugin's class loader to be collected");
    }

    private static java.lang.ref.WeakReference<ClassLoader> useAndClose(Path plugins) throws Exception {
        try (PluginHost host = PluginHost.start(plugins, false)) {
            Matcher m = host.registry().matcher("Boom").create(clause("Boom", "x"));
            assertFalse(m.matches(TestRequest.get("http", "a", "/")));
            return new java.lang.ref.WeakReference<>(host.registry().matcher("Boom").ref().classLoader());
        }
    }

    @Test
    void twoExtensionsWithTheSameNameFailStartNamingBothPlugins(@TempDir Path plugins) {
        TestPluginJars.plugin("alpha").source("greet.GreetMatcherFactory", GREET_MATCHER, true).writeTo(plugins);
        TestPluginJars.plugin("beta").source("greet.GreetMatcherFactory", GREET_MATCHER, true).writeTo(plugins);
        ConfigException e = assertThrows(ConfigException.class, () -> PluginHost.start(plugins, false));
        List<String> p = problems(e);
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).contains("two matcher extensions are named 'Greet'"), p.get(0));
        assertTrue(p.get(0).contains("plugin 'alpha'") && p.get(0).contains("plugin 'beta'"), p.get(0));
    }

    @Test
    void pluginNameClashingWithClassPathExtensionNamesTheClassPath(@TempDir Path plugins) {
        String hostMatcher = GREET_MATCHER.replace("\"Greet\"", "\"Host\"");
        TestPluginJars.plugin("hosty").source("greet.GreetMatcherFactory", hostMatcher, true).writeTo(plugins);
        ConfigException e = assertThrows(ConfigException.class, () -> PluginHost.start(plugins, true));
        String p = problems(e).toString();
        assertTrue(p.contains("'Host'") && p.contains("the class path") && p.contains("plugin 'hosty'"), p);
    }

    @Test
    void corruptJarFailsStartNamingTheJarAndTheCause(@TempDir Path plugins) {
        Path bad = TestPluginJars.corruptJar(plugins, "broken.jar");
        TestPluginJars.plugin("greet").source("greet.GreetMatcherFactory", GREET_MATCHER, true).writeTo(plugins);
        ConfigException e = assertThrows(ConfigException.class, () -> PluginHost.start(plugins, false));
        List<String> p = problems(e);
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).startsWith(bad + ": plugins: cannot load plugin: "), p.get(0));
        assertTrue(p.get(0).length() > (bad + ": plugins: cannot load plugin: ").length() + 5, "cause given");
    }

    @Test
    void indexedExtensionClassMissingFromTheJarFailsStartNamingJarAndClass(@TempDir Path plugins) {
        Path jar = TestPluginJars.plugin("holey").source("greet.GreetMatcherFactory", GREET_MATCHER, true)
                .extension("greet.Vanished").writeTo(plugins);
        ConfigException e = assertThrows(ConfigException.class, () -> PluginHost.start(plugins, false));
        List<String> p = problems(e);
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).startsWith(jar + ": plugins: plugin 'holey': extension class greet.Vanished listed in "
                + "META-INF/extensions.idx cannot be loaded"), p.get(0));
    }

    @Test
    void incompatibleSpiRequirementIsRefusedNamingBothVersions(@TempDir Path plugins) {
        TestPluginJars.plugin("future").requires(">=2.0.0 & <3.0.0")
                .source("greet.GreetMatcherFactory", GREET_MATCHER, true).writeTo(plugins);
        ConfigException e = assertThrows(ConfigException.class, () -> PluginHost.start(plugins, false));
        String p = problems(e).get(0);
        assertTrue(p.contains("plugin 'future'") && p.contains("requires SPI >=2.0.0 & <3.0.0")
                && p.contains("provides SPI " + SpiVersion.CURRENT), p);
    }

    @Test
    void pluginWithoutExtensionsIsAWarningNamingIt(@TempDir Path plugins) throws Exception {
        TestPluginJars.plugin("empty").source("greet.GreetMatcherFactory", GREET_MATCHER, false).writeTo(plugins);
        try (CapturedStderr log = new CapturedStderr(); PluginHost host = PluginHost.start(plugins, false)) {
            assertEquals(1, host.warnings().size());
            assertTrue(host.warnings().get(0).message().contains("plugin 'empty' contributes no extension"));
            assertTrue(log.text().contains("WARN") && log.text().contains("plugin 'empty' contributes no extension"),
                    log.text());
        }
    }

    @Test
    void missingPluginsFolderMeansClassPathExtensionsOnly(@TempDir Path dir) throws Exception {
        try (PluginHost host = PluginHost.start(dir.resolve("absent"), true)) {
            assertNotNull(host.registry().matcher("Host"), "test factories on the class path");
            assertEquals("the class path", host.registry().matcher("Host").ref().owner());
        }
    }

    @Test
    void throwingMatcherDoesNotMatchAndThrowingBalancerGivesFailedLoggedOncePerMinute(@TempDir Path plugins)
            throws Exception {
        TestPluginJars.plugin("boom").source("boom.Throwing", THROWING, false)
                .extension("boom.Throwing$M").extension("boom.Throwing$B").writeTo(plugins);
        try (CapturedStderr log = new CapturedStderr(); PluginHost host = PluginHost.start(plugins, false)) {
            Matcher m = host.registry().matcher("Boom").create(clause("Boom", "x"));
            TestRequest req = TestRequest.get("http", "a", "/");
            for (int i = 0; i < 5; i++) {
                assertFalse(m.matches(req));
            }
            Server s = new Server("s1", URI.create("http://127.0.0.1:1"), 1, Origin.UNKNOWN);
            GuardedBalancer b = host.registry().balancer("boom").create(new BalancerContext(
                    Backend.of("b", Map.of("s1", s)), List.of(s), null, false));
            assertSame(GuardedBalancer.FAILED, b.pick(req));
            assertSame(GuardedBalancer.FAILED, b.pick(req));
            String text = log.text();
            assertEquals(1, count(text, "matcher 'Boom' of plugin 'boom'"), text);
            assertTrue(text.contains("matcher exploded"), text);
            assertEquals(1, count(text, "balancer 'boom' of plugin 'boom'"), text);
            assertEquals(5, PluginFailureLog.SHARED.failures(host.registry().matcher("Boom").ref()));
        }
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
