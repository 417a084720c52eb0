package dev.switchboard.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rule language end to end (issue 4, "Tests"): one configuration holding one frontend per example of reference
 * §4.2-4.7 and of {@code docs/routing.md}, each with a backend of its own, served by ONE proxy started from the
 * unpacked {@code bin/switchboard}. Each case sends one request and checks which frontend's backend answered (or
 * the 404 / 301 the proxy gave itself), and the path and the {@code X-Forwarded-Prefix} / {@code X-Replaced-Path}
 * fields that backend received.
 *
 * <p>Frontends have distinct hosts (a {@code Host} clause is added to examples that have none), so no row shadows
 * another; the rows about priority share a host on purpose. Examples that make a configuration invalid
 * ({@code Path:foo}, {@code Foo:/x}: refused at load, where Traefik v1 silently never matched) cannot be in a
 * configuration that serves; {@code CheckIT}, the kernel's {@code RoutingCompilerTest} and the matchers'
 * {@code RuleErrorMessageTest} cover them. The {@code keepTrailingSlash = true} column of §4.5 is a static setting,
 * so it needs another proxy; the matchers' own tests cover it.
 */
@Timeout(60)
class RuleTableIT {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final String NONE = "-";

    /** One frontend of the configuration; its backend has the same name. Rules are ANDed (one route each). */
    record FrontendSpec(String name, int priority, List<String> rules) {
    }

    /**
     * One request and what must happen to it.
     *
     * @param backend  the backend (= frontend) that must answer 200, or null when the proxy answers itself
     * @param status   200 when a backend answers; 404 or 301 otherwise
     * @param received the request target the backend must receive (path and query), or the 301's Location
     * @param prefix   the X-Forwarded-Prefix values the backend must receive, comma-joined ({@link #NONE}: none)
     * @param replaced the X-Replaced-Path values the backend must receive, comma-joined ({@link #NONE}: none)
     */
    record Case(String source, String method, String host, String target, Map<String, String> headers,
                int status, String backend, String received, String prefix, String replaced) {
        @Override
        public String toString() {
            return source + ": " + method + " " + host + " " + target + (headers.isEmpty() ? "" : " " + headers)
                    + " -> " + (backend != null ? backend + " sees " + received : status
                    + (received == null ? "" : " " + received));
        }
    }

    private static final List<FrontendSpec> FRONTENDS = new ArrayList<>();
    private static final List<Case> CASES = new ArrayList<>();

    private static void frontend(String name, String... rules) {
        FRONTENDS.add(new FrontendSpec(name, 0, List.of(rules)));
    }

    private static void frontend(String name, int priority, String... rules) {
        FRONTENDS.add(new FrontendSpec(name, priority, List.of(rules)));
    }

    /** A request for a frontend's backend, which must receive {@code received} with no prefix/replaced fields. */
    private static void routes(String source, String host, String target, String backend, String received) {
        CASES.add(new Case(source, "GET", host, target, Map.of(), 200, backend, received, NONE, NONE));
    }

    private static void routes(String source, String method, String host, String target,
                               Map<String, String> headers, String backend, String received, String prefix,
                               String replaced) {
        CASES.add(new Case(source, method, host, target, headers, 200, backend, received, prefix, replaced));
    }

    private static void notFound(String source, String method, String host, String target,
                                 Map<String, String> headers) {
        CASES.add(new Case(source, method, host, target, headers, 404, null, null, null, null));
    }

    private static void notFound(String source, String host, String target) {
        notFound(source, "GET", host, target, Map.of());
    }

    private static void redirect(String source, String host, String target, String location) {
        CASES.add(new Case(source, "GET", host, target, Map.of(), 301, null, location, null, null));
    }

    static {
        // --- §4.2 Host: literal names, OR; case-insensitive; the request's port ignored; a rule port never matches
        frontend("host-list", "Host: hostlist.test, www.hostlist.test");
        routes("docs Host: traefik.io, www.traefik.io", "hostlist.test", "/", "host-list", "/");
        routes("docs Host (second name)", "www.hostlist.test", "/x?y=1", "host-list", "/x?y=1");
        frontend("host-case", "Host:Example-case.COM");
        routes("§4.7 Host:Example.COM vs EXAMPLE.com:8080", "EXAMPLE-CASE.com:8080", "/", "host-case", "/");
        frontend("host-port", "Host:hostport.test:8080");
        notFound("§4.2 Host:a.com:8080 can never match", "hostport.test:8080", "/");
        notFound("§4.2 Host:a.com:8080 can never match (no port)", "hostport.test", "/");

        // --- HostRegexp: templates, OR; (?i); default variable pattern one label
        frontend("host-regexp", "HostRegexp: hre.test, {sub:[a-z]+}.hre.test");
        routes("docs HostRegexp: traefik.io, {sub:[a-z]+}.traefik.io (literal)", "hre.test", "/", "host-regexp",
                "/");
        routes("§4.7 HostRegexp {sub:[a-z]+} vs API.Example.com", "API.Hre.test", "/", "host-regexp", "/");
        notFound("§4.7 HostRegexp {sub:[a-z]+} vs a.b.example.com", "a.b.hre.test", "/");
        notFound("HostRegexp {sub:[a-z]+} refuses digits", "a1.hre.test", "/");
        frontend("host-regexp-default", "HostRegexp: {sub}.hre-default.test");
        routes("§4.3 host default pattern [^.]+", "x-y.hre-default.test", "/", "host-regexp-default", "/");
        notFound("§4.3 host default pattern is one label", "a.b.hre-default.test", "/");

        // --- Path: exact, templates, OR
        frontend("path-templates", "Host:path.test", "Path: /products/, /articles/{category}/{id:[0-9]+}");
        routes("docs Path /articles/{category}/{id:[0-9]+}", "path.test", "/articles/tech/42?p=2",
                "path-templates", "/articles/tech/42?p=2");
        routes("docs Path /products/", "path.test", "/products/", "path-templates", "/products/");
        notFound("Path template {id:[0-9]+} refuses letters", "path.test", "/articles/tech/x42");
        notFound("Path is exact (not a prefix)", "path.test", "/articles/tech/42/more");
        frontend("path-default-var", "Host:path-var.test;Path:/a/{x}");
        routes("Path default variable [^/]+", "path-var.test", "/a/b", "path-default-var", "/a/b");
        notFound("§4.7 Path:/a/{x} vs /a/b/c", "path-var.test", "/a/b/c");
        frontend("path-braces", "Host:braces.test;Path:/{id:[0-9]{2,3}}");
        routes("§4.7 Path:/{id:[0-9]{2,3}} vs /12 (differs: works here)", "braces.test", "/12", "path-braces",
                "/12");
        notFound("Path {id:[0-9]{2,3}} vs /1234", "braces.test", "/1234");
        frontend("path-case", "Host:path-case.test;Path:/Case");
        notFound("§4.3 Path is case-sensitive", "path-case.test", "/case");

        // --- PathPrefix: no segment boundary; templates anchored at the start only; no Host needed
        frontend("prefix-literal", "Host:prefix.test;PathPrefix:/foo");
        routes("§4.7 PathPrefix:/foo vs /foobar", "prefix.test", "/foobar", "prefix-literal", "/foobar");
        routes("PathPrefix:/foo vs /foo/a/b?x=1", "prefix.test", "/foo/a/b?x=1", "prefix-literal", "/foo/a/b?x=1");
        notFound("PathPrefix:/foo vs /fo", "prefix.test", "/fo");
        frontend("prefix-template", "Host:prefix-tpl.test;PathPrefix:/foo/{id:[0-9]+}");
        routes("§4.7 PathPrefix:/foo/{id:[0-9]+} vs /foo/12abc", "prefix-tpl.test", "/foo/12abc",
                "prefix-template", "/foo/12abc");
        notFound("PathPrefix:/foo/{id:[0-9]+} vs /foo/abc", "prefix-tpl.test", "/foo/abc");
        frontend("prefix-only", "PathPrefix:/only-prefix/");
        routes("PathPrefix without Host matches any host", "anything.test", "/only-prefix/x", "prefix-only",
                "/only-prefix/x");

        // --- Method: OR, upper-cased; mismatch is 404
        frontend("method", "Host:method.test;Method:get,POST");
        routes("§4.7 Method:get,POST vs GET", "method.test", "/m", "method", "/m");
        routes("§4.7 Method:get,POST vs POST", "POST", "method.test", "/m", Map.of(), "method", "/m", NONE, NONE);
        notFound("§4.7 Method:get,POST vs PUT", "PUT", "method.test", "/m", Map.of());

        // --- Headers: pairs, AND; HeadersRegexp: unanchored
        frontend("headers", "Host:headers.test;Headers: Content-Type, application/json");
        routes("docs Headers: Content-Type, application/json", "GET", "headers.test", "/h",
                Map.of("Content-Type", "application/json"), "headers", "/h", NONE, NONE);
        notFound("Headers value compared exactly", "GET", "headers.test", "/h",
                Map.of("Content-Type", "application/json; charset=utf-8"));
        notFound("Headers field absent", "headers.test", "/h");
        frontend("headers-pairs", "Host:headers2.test;Headers: X-A, 1, X-B, 2");
        routes("§4.2 Headers pairs are ANDed", "GET", "headers2.test", "/", Map.of("X-A", "1", "X-B", "2"),
                "headers-pairs", "/", NONE, NONE);
        notFound("§4.2 Headers pairs: one missing", "GET", "headers2.test", "/", Map.of("X-A", "1"));
        frontend("headers-presence", "Host:headers3.test;Headers: X-Api, ");
        routes("docs Headers: X-Api, (blank value: presence only)", "GET", "headers3.test", "/",
                Map.of("X-Api", "anything"), "headers-presence", "/", NONE, NONE);
        notFound("docs Headers: X-Api, without the field", "headers3.test", "/");
        frontend("headers-repeated", "Host:headers4.test;Headers: X-K, 1, X-K, 2");
        routes("docs a repeated Headers key keeps its last value", "GET", "headers4.test", "/",
                Map.of("X-K", "2"), "headers-repeated", "/", NONE, NONE);
        notFound("docs a repeated Headers key: the first value is forgotten", "GET", "headers4.test", "/",
                Map.of("X-K", "1"));
        frontend("headers-regexp", "Host:headers-re.test;HeadersRegexp: Content-Type, application/(text|json)");
        routes("docs HeadersRegexp: Content-Type, application/(text|json)", "GET", "headers-re.test", "/",
                Map.of("Content-Type", "application/json; charset=utf-8"), "headers-regexp", "/", NONE, NONE);
        notFound("HeadersRegexp no match", "GET", "headers-re.test", "/", Map.of("Content-Type", "text/html"));

        // --- Query: k=v items, AND; first value only; templates in values
        frontend("query", "Host:query.test;Query:a=1,b=2");
        notFound("§4.7 Query:a=1,b=2 vs ?a=1", "query.test", "/q?a=1");
        routes("§4.7 Query:a=1,b=2 vs ?a=1&a=2&b=2", "query.test", "/q?a=1&a=2&b=2", "query", "/q?a=1&a=2&b=2");
        notFound("§4.2 Query tests the first value only", "query.test", "/q?a=2&a=1&b=2");
        frontend("query-template", "Host:query-tpl.test;Query: foo=bar, id={id:[0-9]+}");
        routes("docs Query: foo=bar, id={id:[0-9]+}", "query-tpl.test", "/?foo=bar&id=12", "query-template",
                "/?foo=bar&id=12");
        notFound("docs Query id={id:[0-9]+} vs id=x", "query-tpl.test", "/?foo=bar&id=x");

        frontend("query-any", "Host:query-any.test;Query: k=");
        routes("docs Query k= accepts any value", "query-any.test", "/?k=whatever", "query-any", "/?k=whatever");
        notFound("docs Query k= needs the key", "query-any.test", "/?other=1");

        // --- Grammar: whitespace trimmed; ';' is AND; several routes of one frontend are ANDed; absolute form
        frontend("grammar", "Path: /a ; Host: Grammar.test");
        routes("§4.7 Path: /a ; Host: A.com vs http://a.com/a", "GET", "grammar.test", "http://grammar.test/a",
                Map.of(), "grammar", "/a", NONE, NONE);
        frontend("two-routes", "Host:routes.test", "PathPrefix:/m");
        routes("§4.1 two routes are ANDed (both match)", "routes.test", "/m/1", "two-routes", "/m/1");
        notFound("§4.1 two routes are ANDed (one fails)", "routes.test", "/x");

        // --- §4.4 modifiers: strip, add, replace, and the headers they add
        frontend("prefix-strip", "Host:strip.test;PathPrefixStrip:/api");
        routes("docs PathPrefixStrip:/api /api/users -> /users", "GET", "strip.test", "/api/users?q=1", Map.of(),
                "prefix-strip", "/users?q=1", "/api", NONE);
        routes("docs PathPrefixStrip:/api /api -> /", "GET", "strip.test", "/api", Map.of(), "prefix-strip", "/",
                "/api", NONE);
        routes("§4.4 X-Forwarded-Prefix added after the client's", "GET", "strip.test", "/api/x",
                Map.of("X-Forwarded-Prefix", "/client"), "prefix-strip", "/x", "/client,/api", NONE);
        frontend("prefix-strip-raw", "Host:strip-raw.test;PathPrefixStrip:/stat");
        routes("§4.4 PathPrefixStrip:/stat on /status -> /us", "GET", "strip-raw.test", "/status", Map.of(),
                "prefix-strip-raw", "/us", "/stat", NONE);
        frontend("path-strip", "Host:pathstrip.test;PathStrip:/ps, /ps/long");
        routes("docs PathStrip exact path stripped", "GET", "pathstrip.test", "/ps", Map.of(), "path-strip", "/",
                "/ps", NONE);
        routes("docs PathStrip longest literal first", "GET", "pathstrip.test", "/ps/long", Map.of(), "path-strip",
                "/", "/ps/long", NONE);
        redirect("§4.5 PathStrip trailing slash 301", "pathstrip.test", "/ps/", "/ps");
        frontend("path-strip-regex", "Host:pathstrip-re.test;PathStripRegex:/a/{id}");
        routes("docs PathStripRegex:/a/{id}", "GET", "pathstrip-re.test", "/a/7", Map.of(), "path-strip-regex",
                "/", "/a/7", NONE);
        frontend("prefix-strip-regex", "Host:strip-re.test;PathPrefixStripRegex:/a/{id:[0-9]+}");
        routes("docs PathPrefixStripRegex /a/5/x -> /x", "GET", "strip-re.test", "/a/5/x", Map.of(),
                "prefix-strip-regex", "/x", "/a/5", NONE);
        frontend("add-prefix", "Host:addprefix.test;AddPrefix:/v2");
        routes("docs AddPrefix:/v2", "addprefix.test", "/users?x=1", "add-prefix", "/v2/users?x=1");
        frontend("replace-path", "Host:replace.test;ReplacePath: /serve");
        routes("docs ReplacePath: /serve (query kept)", "GET", "replace.test", "/anything?q=1", Map.of(),
                "replace-path", "/serve?q=1", NONE, "/anything");
        frontend("replace-regex", "Host:replace-re.test;ReplacePathRegex: ^/api/v2/(.*) /api/$1");
        routes("docs ReplacePathRegex: ^/api/v2/(.*) /api/$1", "GET", "replace-re.test", "/api/v2/users",
                Map.of(), "replace-regex", "/api/users", NONE, "/api/v2/users");
        routes("§4.4 ReplacePathRegex not matching: unchanged, no header", "replace-re.test", "/other",
                "replace-regex", "/other");
        frontend("modifier-order", "Host:order.test;ReplacePath:/final;AddPrefix:/v2;PathPrefixStrip:/api");
        routes("§4.4 order strip -> add -> replace, whatever the rule order", "GET", "order.test", "/api/x",
                Map.of(), "modifier-order", "/final", "/api", "/v2/x");

        // --- §4.5 trailing slash, keepTrailingSlash = false (default)
        frontend("slash-none", "Host:slash.test;Path:/path");
        routes("§4.5 /path vs Path:/path", "slash.test", "/path", "slash-none", "/path");
        redirect("§4.5 /path/ vs Path:/path -> 301 /path (query kept)", "slash.test", "/path/?q=1", "/path?q=1");
        frontend("slash-trailing", "Host:slash2.test;Path:/path/");
        routes("§4.5 /path/ vs Path:/path/", "slash2.test", "/path/", "slash-trailing", "/path/");
        redirect("§4.5 /path vs Path:/path/ -> 301 /path/", "slash2.test", "/path", "/path/");
        frontend("slash-both", "Host:slash3.test;Path: /a, /a/");
        redirect("docs Path: /a, /a/ answers /a/ with a redirect to /a", "slash3.test", "/a/", "/a");
        frontend("prefix-no-slash-rule", "Host:slash4.test;PathPrefix:/p/");
        notFound("§4.5 PathPrefix never redirects", "slash4.test", "/p");

        // --- §4.6 priority: longer rules first; explicit priority overrides; ties by name
        frontend("prio-short", "Host:prio.test");
        frontend("prio-long", "Host:prio.test;PathPrefix:/special");
        routes("§4.6 longer rule first", "prio.test", "/special/x", "prio-long", "/special/x");
        routes("§4.6 shorter rule gets the rest", "prio.test", "/other", "prio-short", "/other");
        frontend("prio-explicit", 500, "Host:prio2.test");
        frontend("prio-implicit", "Host:prio2.test;PathPrefix:/x");
        routes("§4.6 explicit priority overrides length", "prio2.test", "/x/1", "prio-explicit", "/x/1");
        frontend("tie-b", "Host:tie.test");
        frontend("tie-a", "Host:tie.test");
        routes("§4.6 equal priority: frontend name decides (stable)", "tie.test", "/", "tie-a", "/");

        // --- issue 4 §3: the path routed on is the path received
        frontend("safe", "Host:safe.test;PathPrefix:/public");
        routes("dot segment inside the prefix", "safe.test", "/public/./a/../b", "safe", "/public/b");
        notFound("'..' cannot leave the prefix", "safe.test", "/public/../admin");
        notFound("'%2e%2e' cannot leave the prefix", "safe.test", "/public/%2e%2e/admin");

        notFound("no frontend names the host", "nobody.test", "/");
    }

    private static final Map<String, HttpServer> BACKENDS = new LinkedHashMap<>();
    private static ExecutorService backendThreads;
    private static SwitchboardProcess proxy;
    private static int port;

    static Stream<Case> cases() {
        return CASES.stream();
    }

    @BeforeAll
    static void startBackendsAndProxy() throws IOException {
        backendThreads = Executors.newFixedThreadPool(4, task -> {
            Thread thread = new Thread(task, "rule-table-backend");
            thread.setDaemon(true);
            return thread;
        });
        for (FrontendSpec f : FRONTENDS) {
            BACKENDS.put(f.name(), echo(f.name()));
        }
        port = TestBackend.freePort();
        StringBuilder toml = new StringBuilder("""
                logLevel = "INFO"
                defaultEntryPoints = ["http"]

                [entryPoints]
                  [entryPoints.http]
                  address = "127.0.0.1:%d"

                [file]

                [frontends]
                """.formatted(port));
        for (FrontendSpec f : FRONTENDS) {
            toml.append("  [frontends.").append(f.name()).append("]\n");
            toml.append("  backend = \"").append(f.name()).append("\"\n");
            if (f.priority() > 0) {
                toml.append("  priority = ").append(f.priority()).append('\n');
            }
            for (int i = 0; i < f.rules().size(); i++) {
                toml.append("    [frontends.").append(f.name()).append(".routes.r").append(i).append("]\n");
                toml.append("    rule = \"").append(escape(f.rules().get(i))).append("\"\n");
            }
        }
        toml.append("\n[backends]\n");
        BACKENDS.forEach((name, server) -> toml.append("  [backends.").append(name).append(".servers.one]\n")
                .append("  url = \"http://127.0.0.1:").append(server.getAddress().getPort()).append("\"\n"));
        Path config = ConfigFile.write("rule-table.toml", toml.toString());

        proxy = SwitchboardProcess.of(Distribution.shared()).start("-c", config.toString());
        proxy.awaitResponse(port, "hostlist.test", "/", 200, START_TIMEOUT);
        Report.line("rule table: " + FRONTENDS.size() + " frontends, " + CASES.size() + " cases; start-up to first "
                + "served request " + proxy.sinceStart().toMillis() + " ms");
    }

    @AfterAll
    static void stopProxyAndBackends() {
        try {
            if (proxy != null) {
                proxy.terminate();
            }
        } finally {
            if (proxy != null) {
                proxy.close();
            }
            BACKENDS.values().forEach(server -> server.stop(0));
            if (backendThreads != null) {
                backendThreads.shutdownNow();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void requestReachesTheFrontendItsRuleSelects(Case c) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", c.host());
        headers.putAll(c.headers());
        HttpConnection.Response response;
        try (HttpConnection connection = HttpConnection.open(port)) {
            response = connection.send(c.method(), c.target(), headers, null);
        }
        assertEquals(c.status(), response.status(), c + "\n" + response);
        if (c.status() == 301) {
            assertEquals(c.received(), response.header("Location"), c + "\n" + response);
            return;
        }
        if (c.backend() == null) {
            return;
        }
        Echo echo = Echo.parse(response.text());
        assertEquals(c.backend(), echo.backend(), "answered by the wrong backend: " + c + "\n" + response);
        assertEquals(c.method() + " " + c.received(), echo.requestLine(), "request line received: " + c);
        assertEquals(c.prefix(), echo.forwardedPrefix(), "X-Forwarded-Prefix received: " + c);
        assertEquals(c.replaced(), echo.replacedPath(), "X-Replaced-Path received: " + c);
    }

    /** What an echo backend reported about the request it received. */
    record Echo(String backend, String requestLine, String forwardedPrefix, String replacedPath) {
        static Echo parse(String text) {
            String[] lines = text.split("\n");
            return new Echo(lines[0], lines[1], after(lines[2], "x-forwarded-prefix: "),
                    after(lines[3], "x-replaced-path: "));
        }

        private static String after(String line, String label) {
            if (!line.startsWith(label)) {
                throw new AssertionError("echo line '" + line + "' should start with '" + label + "'");
            }
            return line.substring(label.length());
        }
    }

    /**
     * A backend on a free loopback port answering {@code 200} with its name, the request line it received (the raw
     * target, query included), and every value of {@code X-Forwarded-Prefix} and {@code X-Replaced-Path}, one line
     * each, comma-joined in the order received ({@code -} when absent).
     */
    private static HttpServer echo(String name) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(backendThreads);
        server.createContext("/", exchange -> {
            try (exchange) {
                try (InputStream body = exchange.getRequestBody()) {
                    body.readAllBytes();
                }
                byte[] text = (name + "\n" + exchange.getRequestMethod() + " " + exchange.getRequestURI() + "\n"
                        + "x-forwarded-prefix: " + values(exchange.getRequestHeaders().get("X-Forwarded-Prefix"))
                        + "\n" + "x-replaced-path: " + values(exchange.getRequestHeaders().get("X-Replaced-Path"))
                        + "\n").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                exchange.sendResponseHeaders(200, text.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(text);
                }
            }
        });
        server.start();
        return server;
    }

    private static String values(List<String> values) {
        return values == null || values.isEmpty() ? NONE : String.join(",", values);
    }

    private static String escape(String tomlBasicString) {
        return tomlBasicString.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
