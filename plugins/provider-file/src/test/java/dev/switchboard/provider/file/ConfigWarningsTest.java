package dev.switchboard.provider.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.config.ConfigProblem;
import dev.switchboard.spi.model.Configuration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys the proxy does not act on are never silent: a key of Traefik v1's schema whose behaviour is not built yet,
 * an unknown key, a deprecated key each give one warning naming file, line and key, and the file still loads.
 */
class ConfigWarningsTest {

    @TempDir
    Path dir;

    private RecordingContext check(String text) throws Exception {
        Path rules = dir.resolve("rules.toml");
        Files.writeString(rules, text);
        RecordingContext context = RecordingContext.fileSection(null, Map.of("filename", rules.toString()));
        new FileProvider().check(context);
        return context;
    }

    private static List<String> printed(RecordingContext context) {
        return context.warnings.stream().map(ConfigErrorsTest::shortForm).collect(Collectors.toList());
    }

    private static void assertWarned(List<String> warnings, String fileLineKey, String messagePart) {
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith(fileLineKey) && w.contains(messagePart)),
                "expected '" + fileLineKey + "' … '" + messagePart + "' in:\n" + String.join("\n", warnings));
    }

    @Test
    void sectionNotBuiltYetWarnsOnceAtItsLineNotForEachKeyInside() throws Exception {
        RecordingContext context = check("""
                [backends.b.servers.s]
                url = "http://a:1"
                weight = 2
                [backends.b.loadBalancer]
                method = "drr"
                [backends.b.loadBalancer.stickiness]
                cookieName = "c"
                secure = true
                [backends.b.healthCheck]
                path = "/health"
                interval = "5s"
                [backends.b.circuitBreaker]
                expression = "NetworkErrorRatio() > 0.5"
                [backends.b.maxConn]
                amount = 1
                extractorFunc = "client.ip"
                [frontends.f]
                backend = "b"
                entryPoints = ["http"]
                passHostHeader = true
                priority = 10
                [frontends.f.routes.r]
                rule = "Path:/"
                [frontends.f.headers]
                frameDeny = true
                SSLRedirect = true
                [frontends.f.headers.customRequestHeaders]
                X-A = "1"
                """);
        Configuration c = context.onlySnapshot();
        assertTrue(c.frontends().get("f").headers().frameDeny(), "accepted keys are still bound to the model");
        List<String> w = printed(context);
        assertEquals(List.of(
                "rules.toml:24: frontends.f.headers: accepted, but its behaviour is not built yet: it has no effect for now"),
                w);
    }

    @Test
    void unknownKeysWarnWithFileLineAndASuggestion() throws Exception {
        RecordingContext context = check("""
                [backends.b.servers.s]
                url = "http://a:1"
                wieght = 2
                [backends.b.forwardingResponse]
                flushInterval = "10ms"
                [frontends.f]
                backend = "b"
                passHostHeaders = true
                colour = "blue"
                [frontends.f.routes.r]
                rule = "Path:/"
                [entryPoints.http]
                address = ":80"
                """);
        context.onlySnapshot();
        List<String> w = printed(context);
        assertWarned(w, "rules.toml:3: backends.b.servers.s.wieght: ", "unknown key, ignored: did you mean 'weight'?");
        assertWarned(w, "rules.toml:4: backends.b.forwardingResponse: ", "responseForwarding");
        assertWarned(w, "rules.toml:8: frontends.f.passHostHeaders: ", "did you mean 'passHostHeader'?");
        assertWarned(w, "rules.toml:9: frontends.f.colour: ", "unknown key, ignored");
        assertWarned(w, "rules.toml:12: entryPoints: ", "unknown key, ignored");
        assertEquals(5, w.size(), String.join("\n", w));
    }

    @Test
    void tlsSectionsAreAcceptedWithAWarning() throws Exception {
        RecordingContext context = check("""
                [[tls]]
                  entryPoints = ["https"]
                  [tls.certificate]
                    certFile = "/etc/certs/a.cert"
                    keyFile = "/etc/certs/a.key"
                [[tls]]
                  [tls.certificate]
                    certFile = "/etc/certs/b.cert"
                    keyFile = "/etc/certs/b.key"
                    keyPassword = "x"
                """);
        context.onlySnapshot();
        List<String> w = printed(context);
        assertWarned(w, "rules.toml:1: tls: ", "not built yet");
        assertWarned(w, "rules.toml:10: tls[1].certificate.keyPassword: ", "unknown key, ignored");
        assertEquals(2, w.size(), String.join("\n", w));
    }

    @Test
    void deprecatedStickyAndEmptyHealthCheckAreNamed() throws Exception {
        RecordingContext context = check("""
                [backends.b.servers.s]
                url = "http://a:1/ignored/path"
                [backends.b.loadBalancer]
                sticky = true
                [backends.b.healthCheck]
                interval = "10s"
                [backends.c]
                """);
        Configuration c = context.onlySnapshot();
        assertEquals(null, c.backends().get("b").healthCheck(), "no path: the health check is off");
        List<String> w = printed(context);
        assertWarned(w, "rules.toml:2: backends.b.servers.s.url: ", "path and query of a server URL are ignored");
        assertWarned(w, "rules.toml:4: backends.b.loadBalancer.sticky: ", "deprecated");
        assertTrue(w.stream().noneMatch(x -> x.contains("sticky") && x.contains("not built yet")),
                "stickiness is built: " + w);
        assertWarned(w, "rules.toml:5: backends.b.healthCheck: ", "no path");
        assertWarned(w, "rules.toml:7: backends.c: ", "no servers");
    }

    @Test
    void builtKeysGiveNoWarning() throws Exception {
        RecordingContext context = check("""
                [backends.b.servers.s]
                url = "http://a:1"
                weight = 2
                [backends.b.loadBalancer]
                method = "wrr"
                [backends.b.loadBalancer.stickiness]
                cookieName = "pin"
                secure = true
                httpOnly = true
                sameSite = "lax"
                [backends.b.healthCheck]
                path = "/health"
                interval = "5s"
                timeout = "1s"
                port = 8080
                scheme = "http"
                hostname = "h.test"
                rise = 2
                fall = 3
                [backends.b.healthCheck.headers]
                X-Probe = "1"
                [backends.b.maxConn]
                amount = 10
                extractorFunc = "request.header.X-User"
                [frontends.f]
                backend = "b"
                entryPoints = ["http"]
                passHostHeader = true
                priority = 10
                [frontends.f.routes.r]
                rule = "Path:/"
                """);
        context.onlySnapshot();
        assertEquals("", context.warningText());
    }

    @Test
    void warningsOfAnInvalidFileAreStillReportedBesideTheErrors() throws Exception {
        RecordingContext context = check("""
                [backends.b.servers.s]
                url = "nope"
                colour = "blue"
                """);
        List<ConfigProblem> errors = context.onlyRejection();
        assertEquals(1, errors.size());
        assertWarned(printed(context), "rules.toml:3: backends.b.servers.s.colour: ", "unknown key");
    }

    @Test
    void unknownAndUnsupportedSettingsOfTheFileSectionWarnAtTheirLine() throws Exception {
        Path main = dir.resolve("traefik.toml");
        Files.writeString(main, """
                [entryPoints.http]
                address = ":80"

                [file]
                watch = false
                filename = "rules.toml"
                constraints = ["tag==api"]
                wacth = true
                """);
        Files.writeString(dir.resolve("rules.toml"), "");
        RecordingContext context = RecordingContext.fileSection(main, Map.of("watch", false,
                "filename", "rules.toml", "constraints", List.of("tag==api"), "wacth", true));
        new FileProvider().check(context);
        context.onlySnapshot();
        List<String> w = printed(context);
        assertWarned(w, "traefik.toml:7: file.constraints: ", "not supported by the file provider");
        assertWarned(w, "traefik.toml:8: file.wacth: ", "unknown key, ignored");
        assertFalse(w.stream().anyMatch(s -> s.contains("file.watch")), String.join("\n", w));
    }

    @Test
    void frontendsLeftInTheMainFileWhileFilenameIsSetAreNamedAsIgnored() throws Exception {
        Path main = dir.resolve("traefik.toml");
        Files.writeString(main, """
                [file]
                filename = "rules.toml"

                [frontends.old]
                backend = "b"
                """);
        Files.writeString(dir.resolve("rules.toml"), "");
        RecordingContext context = RecordingContext.fileSection(main, Map.of("filename", "rules.toml"));
        new FileProvider().check(context);
        context.onlySnapshot();
        assertWarned(printed(context), "traefik.toml:4: frontends: ", "ignored: [file] reads rules.toml");
    }

    @Test
    void traefikV2SectionsAreNamedAsSuch() throws Exception {
        RecordingContext context = check("""
                [http.routers.my-router]
                rule = "Host(`example.com`)"
                service = "my-service"
                """);
        context.onlySnapshot();
        assertWarned(printed(context), "rules.toml:1: http: ", "this is Traefik v2's dynamic configuration");
    }

    @Test
    void sectionsThatTraefikV1IgnoredLoadWithAWarningSaysWhy() throws Exception {
        RecordingContext context = check("""
                [backends.b.servers.s]
                url = "http://a:1"
                [backends.b.loadBalancer.stickiness]
                sameSite = "sometimes"
                [frontends.f]
                backend = "b"
                [frontends.f.routes.r]
                rule = "Path:/"
                [frontends.f.redirect]
                permanent = true
                [frontends.f.auth]
                headerField = "X-User"
                [frontends.f.auth.basic]
                users = ["u:$apr1$x"]
                [frontends.f.auth.forward]
                address = "https://auth.example.com/check"
                """);
        Configuration c = context.onlySnapshot();
        assertEquals(null, c.backends().get("b").loadBalancer().stickiness().sameSite());
        assertEquals(null, c.frontends().get("f").redirect());
        assertEquals(null, c.frontends().get("f").auth().forward(), "basic wins, as in Traefik v1");
        List<String> w = printed(context);
        assertWarned(w, "rules.toml:4: backends.b.loadBalancer.stickiness.sameSite: ", "is not none, lax or strict");
        assertWarned(w, "rules.toml:9: frontends.f.redirect: ", "nothing to redirect to");
        assertWarned(w, "rules.toml:11: frontends.f.auth: ", "only basic is used");
    }
}
