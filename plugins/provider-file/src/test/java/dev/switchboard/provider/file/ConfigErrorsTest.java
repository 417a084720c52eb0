package dev.switchboard.provider.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.config.ConfigProblem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Invalid files are rejected whole, with every problem named by file, line and key. */
class ConfigErrorsTest {

    @TempDir
    Path dir;

    private List<ConfigProblem> rejected(String text) throws Exception {
        Path rules = dir.resolve("rules.toml");
        Files.writeString(rules, text);
        RecordingContext context = RecordingContext.fileSection(null, Map.of("filename", rules.toString()));
        new FileProvider().check(context);
        return context.onlyRejection();
    }

    /** {@code rules.toml:3: key: message}: the problem as printed, without the temporary folder. */
    static String shortForm(ConfigProblem p) {
        return Path.of(p.origin().file()).getFileName() + ":" + p.origin().line() + ": " + p.key() + ": "
                + p.message();
    }

    private static String printed(List<ConfigProblem> problems) {
        return problems.stream().map(ConfigErrorsTest::shortForm).collect(Collectors.joining("\n"));
    }

    private static void assertHas(List<ConfigProblem> problems, String fileLineKey, String messagePart) {
        String all = printed(problems);
        assertTrue(problems.stream().anyMatch(p -> shortForm(p).startsWith(fileLineKey)
                && p.message().contains(messagePart)), "expected '" + fileLineKey + "' … '" + messagePart + "' in:\n"
                + all);
    }

    @Test
    void severalBadValuesInOneFileAreAllReportedWithFileLineAndKey() throws Exception {
        List<ConfigProblem> problems = rejected("""
                [backends.b1.servers.s1]
                url = "10.0.0.1:80"
                weight = -1
                [backends.b1.servers.s2]
                url = "http://10.0.0.2:80"
                weight = "2"
                [backends.b1.healthCheck]
                path = "/health"
                interval = "10 seconds"
                [frontends.f1]
                backend = "b1"
                passHostHeader = "yes"
                [frontends.f1.routes.r0]
                rule = ""
                """);
        assertHas(problems, "rules.toml:2: backends.b1.servers.s1.url: ", "scheme http, https or h2c");
        assertHas(problems, "rules.toml:3: backends.b1.servers.s1.weight: ", "-1 is out of range");
        assertHas(problems, "rules.toml:6: backends.b1.servers.s2.weight: ", "expected an integer, found a string");
        assertHas(problems, "rules.toml:9: backends.b1.healthCheck.interval: ", "not a duration");
        assertHas(problems, "rules.toml:12: frontends.f1.passHostHeader: ", "expected a boolean");
        assertHas(problems, "rules.toml:14: frontends.f1.routes.r0.rule: ", "is empty");
        assertEquals(6, problems.size(), printed(problems));
    }

    @Test
    void problemsAreListedInLineOrder() throws Exception {
        List<ConfigProblem> problems = rejected("""
                [frontends.f]
                backend = "b"
                priority = 1.5
                [frontends.f.routes.r]
                rule = 3
                [backends.b.servers.s]
                url = "ftp://x"
                """);
        assertEquals(List.of(3, 5, 7), problems.stream().map(p -> p.origin().line()).toList(), printed(problems));
    }

    @Test
    void tomlSyntaxErrorNamesFileAndLine() throws Exception {
        List<ConfigProblem> problems = rejected("""
                [backends.b.servers.s]
                url = "http://a:1"

                [frontends.f]
                backend = = "b"
                """);
        assertEquals(1, problems.size(), printed(problems));
        assertTrue(problems.get(0).origin().file().endsWith("rules.toml"));
        assertEquals(5, problems.get(0).origin().line());
        assertTrue(problems.get(0).message().startsWith("TOML syntax error"), problems.get(0).message());
    }

    @Test
    void tableDefinedTwiceInOneFileIsASyntaxErrorAtTheSecond() throws Exception {
        List<ConfigProblem> problems = rejected("""
                [frontends.f]
                backend = "b"
                [frontends.f]
                backend = "c"
                """);
        assertEquals(3, problems.get(0).origin().line(), printed(problems));
    }

    @Test
    void unterminatedStringIsASyntaxErrorOnItsLine() throws Exception {
        List<ConfigProblem> problems = rejected("[frontends.f]\nbackend = \"b\n");
        assertEquals(2, problems.get(0).origin().line(), printed(problems));
    }

    @Test
    void frontendNamingAnUndefinedBackendIsAnError() throws Exception {
        List<ConfigProblem> problems = rejected("""
                [backends.api.servers.s]
                url = "http://a:1"
                [frontends.f]
                backend = "apii"
                [frontends.f.routes.r]
                rule = "Path:/"
                [frontends.f.errors.e]
                status = ["500-599"]
                backend = "pages"
                """);
        assertHas(problems, "rules.toml:4: frontends.f.backend: ", "backend 'apii' is not defined: expected one of api");
        assertHas(problems, "rules.toml:9: frontends.f.errors.e.backend: ", "backend 'pages' is not defined");
    }

    @Test
    void missingRequiredKeysAreNamedWithTheirSection() throws Exception {
        List<ConfigProblem> problems = rejected("""
                [backends.b.servers.s]
                weight = 2
                [frontends.f]
                [frontends.f.routes.r]
                """);
        assertHas(problems, "rules.toml:1: backends.b.servers.s: ", "url is missing");
        assertHas(problems, "rules.toml:3: frontends.f: ", "backend is missing");
        assertHas(problems, "rules.toml:4: frontends.f.routes.r: ", "rule is missing");
    }

    @Test
    void sameKeyWrittenInTwoCasesIsAnError() throws Exception {
        List<ConfigProblem> problems = rejected("""
                [backends.b.servers.s]
                url = "http://a:1"
                URL = "http://b:1"
                """);
        assertHas(problems, "rules.toml:3: backends.b.servers.s.URL: ", "the same key as 'url'");
    }

    @Test
    void invalidValuesOfSectionsNotBuiltYetAreStillErrors() throws Exception {
        List<ConfigProblem> problems = rejected("""
                [backends.b.servers.s]
                url = "http://a:1"
                [backends.b.loadBalancer.stickiness]
                cookieName = "a cookie"
                [backends.b.maxConn]
                amount = 10
                extractorFunc = "client.address"
                [frontends.f]
                backend = "b"
                [frontends.f.routes.r]
                rule = "Path:/"
                [frontends.f.whiteList]
                sourceRange = ["10.0.0.0/33", "not-an-ip"]
                [frontends.f.errors.e]
                status = ["599-500"]
                backend = "b"
                [frontends.f.headers.customRequestHeaders]
                "Bad Header" = "x"
                [frontends.f.ratelimit]
                extractorFunc = "client.ip"
                [frontends.f.ratelimit.rateset.a]
                period = "10s"
                average = 0
                burst = 1
                [frontends.f.ratelimit.rateset.b]
                period = 10
                average = 1
                burst = 1
                """);
        assertHas(problems, "rules.toml:4: backends.b.loadBalancer.stickiness.cookieName: ", "not a valid cookie name");
        assertHas(problems, "rules.toml:7: backends.b.maxConn.extractorFunc: ", "not an extractor");
        assertHas(problems, "rules.toml:13: frontends.f.whiteList.sourceRange: ", "prefix length must be 0 to 32");
        assertHas(problems, "rules.toml:13: frontends.f.whiteList.sourceRange: ", "\"not-an-ip\" is not an IP");
        assertHas(problems, "rules.toml:15: frontends.f.errors.e.status: ", "the lower first");
        assertHas(problems, "rules.toml:16: frontends.f.errors.e.backend: ", "the frontend's own backend");
        assertHas(problems, "rules.toml:18: frontends.f.headers.customRequestHeaders.\"Bad Header\": ",
                "not a valid header name");
        assertHas(problems, "rules.toml:23: frontends.f.ratelimit.rateset.a.average: ", "out of range");
        assertHas(problems, "rules.toml:26: frontends.f.ratelimit.rateset.b.period: ", "the same period as rate set 'a'");
    }

    @Test
    void serverUrlsMustBeAbsoluteWithAKnownSchemeAndAHost() throws Exception {
        List<ConfigProblem> problems = rejected("""
                [backends.b.servers.a]
                url = "ftp://10.0.0.1"
                [backends.b.servers.b]
                url = "http://"
                [backends.b.servers.c]
                url = "http://10.0.0.1:99999"
                [backends.b.servers.d]
                url = "http://my_service:80"
                [backends.b.servers.e]
                url = "http ://x"
                """);
        assertHas(problems, "rules.toml:2: backends.b.servers.a.url: ", "scheme 'ftp'");
        assertHas(problems, "rules.toml:4: backends.b.servers.b.url: ", "");
        assertHas(problems, "rules.toml:6: backends.b.servers.c.url: ", "out of range");
        assertHas(problems, "rules.toml:8: backends.b.servers.d.url: ", "underscore");
        assertHas(problems, "rules.toml:10: backends.b.servers.e.url: ", "not a valid URL");
        assertEquals(5, problems.size(), printed(problems));
    }

    @Test
    void wrongStructureIsAnErrorNotACrash() throws Exception {
        List<ConfigProblem> problems = rejected("""
                frontends = "none"
                [backends.b]
                servers = ["http://a:1"]
                [tls]
                certFile = "x"
                """);
        assertHas(problems, "rules.toml:1: frontends: ", "expected a table");
        assertHas(problems, "rules.toml:3: backends.b.servers: ", "expected a table");
        assertHas(problems, "rules.toml:4: tls: ", "expected an array of tables");
    }

    @Test
    void goTemplatesInTmplFilesAreRefusedWithTheirLine() throws Exception {
        Path rules = dir.resolve("rules.tmpl");
        Files.writeString(rules, """
                [backends]
                {{ range $i, $e := until 3 }}
                  [backends.b{{ $e }}.servers.s]
                  url = "http://10.0.0.{{ $e }}:80"
                {{ end }}
                """);
        RecordingContext context = RecordingContext.fileSection(null, Map.of("filename", rules.toString()));
        new FileProvider().check(context);
        List<ConfigProblem> problems = context.onlyRejection();
        assertEquals(1, problems.size());
        assertEquals(2, problems.get(0).origin().line());
        assertTrue(problems.get(0).message().contains("Go templates are not supported"));
    }

    @Test
    void missingFileIsRejectedNamingIt() throws Exception {
        Path missing = dir.resolve("nope.toml");
        RecordingContext context = RecordingContext.fileSection(null, Map.of("filename", missing.toString()));
        new FileProvider().check(context);
        List<ConfigProblem> problems = context.onlyRejection();
        assertEquals(missing.toString(), problems.get(0).origin().file());
        assertTrue(problems.get(0).message().contains("not found"), problems.get(0).message());
    }
}
