package dev.switchboard.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code bin/switchboard --demo}: the embedded demo backends and {@code conf/demo.toml}, on the fixed ports the
 * README's curl lines use (proxy 8080, backends 9101-9104). Each test starts its own demo and stops it with SIGTERM.
 */
@Timeout(120)
class DemoIT {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final int PROXY_PORT = 8080;
    private static final int[] DEMO_PORTS = {PROXY_PORT, 9101, 9102, 9103, 9104};
    private static final Set<String> DEMO_BACKENDS = Set.of("api", "web", "backoffice-1", "backoffice-2");

    /** One curl line of the README, and what its comment says it answers. */
    record CurlLine(String text, String host, String target, int status, Set<String> backends) {
    }

    @Test
    void demoAnswersEveryCurlLineOfTheReadme() throws IOException {
        List<CurlLine> lines = readmeCurlLines();
        assertTrue(lines.size() >= 3, "the README should show the demo's routing with curl lines: " + lines);
        try (SwitchboardProcess demo = startDemo()) {
            for (CurlLine line : lines) {
                HttpConnection.Response response = HttpConnection.get(PROXY_PORT, line.host(), line.target());
                assertEquals(line.status(), response.status(), line.text() + " answered " + response);
                if (line.status() == 200) {
                    assertTrue(line.backends().contains(response.firstLine()),
                            line.text() + " should be answered by " + line.backends() + ", got " + response);
                }
            }
            demo.terminate();
        }
    }

    @Test
    void demoBalancesBackofficeThreeToOne() throws IOException {
        try (SwitchboardProcess demo = startDemo()) {
            Map<String, Integer> counts = new HashMap<>();
            try (HttpConnection connection = HttpConnection.open(PROXY_PORT)) {
                for (int i = 0; i < 200; i++) {
                    counts.merge(connection.get("backoffice.localhost", "/").firstLine(), 1, Integer::sum);
                }
            }
            Report.line("demo backoffice over 200 requests: " + counts);
            assertEquals(Set.of("backoffice-1", "backoffice-2"), counts.keySet(), counts.toString());
            assertTrue(Math.abs(counts.get("backoffice-1") - 150) <= 2, "weights 3:1 → 150 of 200: " + counts);
            demo.terminate();
        }
    }

    @Test
    void demoBackendEchoesTheRequestItReceived() throws IOException {
        try (SwitchboardProcess demo = startDemo()) {
            HttpConnection.Response response;
            try (HttpConnection connection = HttpConnection.open(PROXY_PORT)) {
                response = connection.send("POST", "/web/form?lang=en&x=1",
                        Map.of("Host", "localhost", "X-Demo", "hello"), "name=switchboard".getBytes());
            }
            assertEquals(200, response.status(), response.toString());
            assertTrue(response.header("content-type").startsWith("text/plain"), response.toString());
            String text = response.text();
            assertEquals("web", response.firstLine());
            assertTrue(text.contains("POST /web/form HTTP/1.1"), text);
            assertTrue(text.contains("query: lang=en&x=1"), text);
            assertTrue(text.toLowerCase(Locale.ROOT).contains("x-demo: hello"), text);
            assertTrue(text.contains("body: 16 bytes") && text.contains("name=switchboard"), text);
            demo.terminate();
        }
    }

    @Test
    void demoWithABackendPortTakenFailsNamingThePort() throws IOException {
        assertPortsFree();
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 9103));
            SwitchboardProcess.Result result = SwitchboardProcess.of(Distribution.shared())
                    .run(START_TIMEOUT, "--demo");
            assertNotEquals(0, result.exitCode(), result.output());
            assertTrue(result.output().contains("9103"), "the error should name the taken port:\n"
                    + result.output());
        }
    }

    private static SwitchboardProcess startDemo() {
        assertPortsFree();
        SwitchboardProcess demo = SwitchboardProcess.of(Distribution.shared()).start("--demo");
        try {
            demo.awaitResponse(PROXY_PORT, "api.localhost", "/", 200, START_TIMEOUT);
        } catch (RuntimeException | Error e) {
            demo.close();
            throw e;
        }
        Report.line("start-up to first served request (--demo, JAVA_OPTS=-Xmx256m -XX:+UseSerialGC): "
                + demo.sinceStart().toMillis() + " ms");
        return demo;
    }

    /** The demo's ports are fixed (the README names them); say so clearly if something else holds one. */
    private static void assertPortsFree() {
        List<Integer> taken = new ArrayList<>();
        for (int port : DEMO_PORTS) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true);
                probe.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
            } catch (IOException e) {
                taken.add(port);
            }
        }
        assertEquals(List.of(), taken, "the demo needs these loopback ports free; another process holds them");
    }

    private static final Pattern CURL = Pattern.compile(
            "^curl\\s+-H\\s+'Host:\\s*([^']+)'\\s+(http://127\\.0\\.0\\.1:8080\\S*)\\s*(?:#\\s*(.*))?$");

    /** The README's demo curl lines, with the answer each comment promises (a status code, or backend names). */
    static List<CurlLine> readmeCurlLines() throws IOException {
        Path readme = Path.of(System.getProperty("switchboard.readme"));
        List<CurlLine> lines = new ArrayList<>();
        for (String raw : Files.readAllLines(readme)) {
            String text = raw.trim();
            if (!text.startsWith("curl ")) {
                continue;
            }
            Matcher m = CURL.matcher(text);
            if (!m.matches()) {
                fail("README curl line not in the form curl -H 'Host: X' http://127.0.0.1:8080/... # answer: "
                        + text);
            }
            String comment = m.group(3) == null ? "" : m.group(3);
            Matcher status = Pattern.compile("\\b([1-5]\\d\\d)\\b").matcher(comment);
            Set<String> backends = Pattern.compile("[a-z0-9-]+").matcher(comment).results()
                    .map(r -> r.group()).filter(DEMO_BACKENDS::contains).collect(Collectors.toSet());
            int expected = status.find() ? Integer.parseInt(status.group(1)) : 200;
            if (expected == 200) {
                assertFalse(backends.isEmpty(), "README curl line should say which backend answers: " + text);
            }
            URI uri = URI.create(m.group(2));
            String target = uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            if (uri.getRawQuery() != null) {
                target += "?" + uri.getRawQuery();
            }
            lines.add(new CurlLine(text, m.group(1).trim(), target, expected, backends));
        }
        return lines;
    }
}
