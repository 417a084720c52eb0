package dev.switchboard.testkit;

import dev.switchboard.kernel.ConfigCheck;
import dev.switchboard.kernel.Switchboard;
import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.config.ConfigProblem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A real Switchboard running in this JVM on an ephemeral loopback port, with echo backends, for testing a plugin
 * end to end over real sockets.
 *
 * <p>The plugin under test is found as a class-path extension: PF4J's annotation processor wrote
 * {@code META-INF/extensions.idx} into the test class path when the plugin compiled. The built-in plugins (file
 * provider, core matchers, wrr/drr, MVEL breaker) are on the class path too, so a TOML snippet can combine them with
 * the extension under test.
 *
 * <pre>{@code
 * try (SwitchboardTestKit kit = SwitchboardTestKit.builder()
 *         .route("ClientIP: 127.0.0.0/8", "inside")     // frontend -> backend with echo server "inside"
 *         .start()) {
 *     TestResponse r = kit.get("/api", Map.of("Host", "a.test"));
 *     assertEquals("inside", r.backend());
 *     assertEquals("/api", r.echoed().path());
 * }
 * }</pre>
 *
 * <p>{@link #close()} stops the proxy (gracefully) and every echo backend. Methods that send requests are
 * thread-safe; build, start and close from one thread.
 */
public final class SwitchboardTestKit implements AutoCloseable {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{echo\\.([A-Za-z0-9_.-]+)}");
    /** slf4j-simple's level property: read once, when the first logger is made. */
    static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

    static {
        // Quiet test output by default (a refused configuration is reported by KitStartException anyway); a test
        // run that wants the proxy's start-up lines sets -Dorg.slf4j.simpleLogger.defaultLogLevel=info.
        if (System.getProperty(LOG_LEVEL_PROPERTY) == null) {
            System.setProperty(LOG_LEVEL_PROPERTY, "warn");
        }
    }

    private final Switchboard switchboard;
    private final Map<String, EchoBackend> echoes;
    private final String entryPoint;
    private final String toml;
    private final TestClient client;

    private SwitchboardTestKit(Switchboard switchboard, Map<String, EchoBackend> echoes, String entryPoint,
                               String toml) {
        this.switchboard = switchboard;
        this.echoes = echoes;
        this.entryPoint = entryPoint;
        this.toml = toml;
        this.client = new TestClient(switchboard.boundAddress(entryPoint));
    }

    /** A kit to configure. */
    public static Builder builder() {
        return new Builder();
    }

    /** Shorthand: one frontend with {@code rule}, routed to one backend whose servers are echo backends. */
    public static SwitchboardTestKit start(String rule, String... echoServers) {
        return builder().route(rule, echoServers).start();
    }

    // ---- requests ----

    /** {@code GET target} with {@code Host: localhost}. */
    public TestResponse get(String target) {
        return send("GET", target, Map.of(), null);
    }

    /** {@code GET target} with these fields (give {@code Host} to route by host). */
    public TestResponse get(String target, Map<String, String> headers) {
        return send("GET", target, headers, null);
    }

    /** Any request; {@code body} may be null. I/O failures are rethrown unchecked, for terse tests. */
    public TestResponse send(String method, String target, Map<String, String> headers, String body) {
        try {
            return client.send(method, target, headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + target + " through " + address() + " failed", e);
        }
    }

    /** {@link #get(String, Map)} on another thread, to keep several requests in flight at once. */
    public CompletableFuture<TestResponse> getAsync(String target, Map<String, String> headers) {
        return CompletableFuture.supplyAsync(() -> get(target, headers), runnable -> {
            Thread t = new Thread(runnable, "testkit-request " + target);
            t.setDaemon(true);
            t.start();
        });
    }

    /** A client for the entry point, to send from the test's own threads. */
    public TestClient client() {
        return client;
    }

    // ---- what is running ----

    /** The echo backend called {@code name}. */
    public EchoBackend echo(String name) {
        EchoBackend e = echoes.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no echo backend '" + name + "'; there are " + echoes.keySet());
        }
        return e;
    }

    /** The address the entry point listens on. */
    public InetSocketAddress address() {
        return switchboard.boundAddress(entryPoint);
    }

    public int port() {
        return address().getPort();
    }

    /** The main TOML file the proxy was started with (placeholders replaced), for messages. */
    public String toml() {
        return toml;
    }

    /** The kernel's runtime object, for what the kit does not wrap. Its API is not part of the SPI contract. */
    public Switchboard switchboard() {
        return switchboard;
    }

    @Override
    public void close() {
        try {
            switchboard.close();
        } finally {
            echoes.values().forEach(EchoBackend::close);
        }
    }

    /** The configuration of a kit; {@link #start()} starts the echo backends first, then the proxy. */
    public static final class Builder {
        private final List<String> echoNames = new ArrayList<>();
        private final StringBuilder staticToml = new StringBuilder();
        private final StringBuilder entryPointToml = new StringBuilder();
        private final StringBuilder dynamicToml = new StringBuilder();
        private String mainToml;
        private String entryPoint = "http";
        private Path pluginsDir;
        private boolean classPathExtensions = true;
        private Duration firstConfigTimeout = Duration.ofSeconds(10);
        private int routes;

        private Builder() {
        }

        /** Starts echo backends with these names (their URLs are {@code ${echo.NAME}} in TOML snippets). */
        public Builder echo(String... names) {
            for (String n : names) {
                if (!echoNames.contains(n)) {
                    echoNames.add(n);
                }
            }
            return this;
        }

        /** Backend {@code name} whose servers are the echo backends {@code echoServers} (started if new). */
        public Builder backend(String name, String... echoServers) {
            echo(echoServers);
            for (String s : echoServers) {
                dynamicToml.append("[backends.").append(name).append(".servers.").append(s).append("]\n")
                        .append("url = \"${echo.").append(s).append("}\"\n");
            }
            return this;
        }

        /** {@code [backends.NAME.loadBalancer] method = "METHOD"}. */
        public Builder loadBalancer(String backend, String method) {
            dynamicToml.append("[backends.").append(backend).append(".loadBalancer]\nmethod = \"")
                    .append(method).append("\"\n");
            return this;
        }

        /** Frontend {@code name} sending requests that match {@code rule} to {@code backend}. */
        public Builder frontend(String name, String backend, String rule) {
            dynamicToml.append("[frontends.").append(name).append("]\nbackend = \"").append(backend).append("\"\n")
                    .append("[frontends.").append(name).append(".routes.rule]\nrule = \"")
                    .append(rule.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n");
            return this;
        }

        /** A frontend with {@code rule} and a backend of echo servers, named {@code route1}, {@code route2}, .... */
        public Builder route(String rule, String... echoServers) {
            String name = "route" + (++routes);
            backend(name, echoServers);
            return frontend(name, name, rule);
        }

        /** Raw TOML of the dynamic configuration ({@code [frontends.X]}, {@code [backends.Y]}), appended as is. */
        public Builder dynamicToml(String toml) {
            dynamicToml.append(toml).append('\n');
            return this;
        }

        /** Raw TOML at the top of the main file: root keys ({@code keepTrailingSlash}, ...) and extra sections. */
        public Builder staticToml(String toml) {
            staticToml.append(toml).append('\n');
            return this;
        }

        /** Keeps the X-Forwarded-* fields of peers in these CIDRs ({@code forwardedHeaders.trustedIPs}). */
        public Builder trustForwardedHeadersFrom(String... cidrs) {
            entryPointToml.append("[entryPoints.").append(entryPoint).append(".forwardedHeaders]\ntrustedIPs = [")
                    .append(java.util.Arrays.stream(cidrs).map(c -> "\"" + c + "\"").collect(Collectors.joining(", ")))
                    .append("]\n");
            return this;
        }

        /**
         * The whole main file instead of the generated one; {@code ${echo.NAME}} placeholders are replaced (start
         * those backends with {@link #echo}). It must declare {@code entryPoint} (see {@link #entryPoint(String)})
         * on port 0 and a {@code [file]} section for its frontends and backends.
         */
        public Builder mainToml(String toml) {
            this.mainToml = toml;
            return this;
        }

        /** The entry point requests are sent to; {@code http} by default. */
        public Builder entryPoint(String name) {
            this.entryPoint = name;
            return this;
        }

        /** Also loads the plugin jars of this folder, as the distribution does with {@code plugins/}. */
        public Builder pluginsDir(Path dir) {
            this.pluginsDir = dir;
            return this;
        }

        /** Whether extensions on the class path are used (true by default: that is how the plugin under test is found). */
        public Builder classPathExtensions(boolean on) {
            this.classPathExtensions = on;
            return this;
        }

        /** The main TOML this builder generates, with {@code ${echo.NAME}} placeholders left in. */
        public String toml() {
            if (mainToml != null) {
                return mainToml;
            }
            return "defaultEntryPoints = [\"" + entryPoint + "\"]\n"
                    + staticToml
                    + "[entryPoints." + entryPoint + "]\naddress = \"127.0.0.1:0\"\n"
                    + entryPointToml
                    + "[file]\n"
                    + dynamicToml;
        }

        private Switchboard.Options options() {
            return new Switchboard.Options(pluginsDir, classPathExtensions, firstConfigTimeout);
        }

        /**
         * Runs {@code switchboard check} on this configuration: static configuration, plugins, providers and routing
         * compiled, no socket bound, no backend started (placeholders become an unreachable URL). The way to test
         * that a rule or balancer option is refused with a good message.
         */
        public CheckReport check() {
            Map<String, String> urls = new LinkedHashMap<>();
            echoNames.forEach(n -> urls.put(n, "http://127.0.0.1:9"));
            Path file = writeTemp(resolve(toml(), urls));
            try {
                ConfigCheck.Report r = ConfigCheck.run(file, options());
                return new CheckReport(r.errors().stream().map(Object::toString).toList(),
                        r.warnings().stream().map(Object::toString).toList(), r.listing());
            } finally {
                deleteQuietly(file);
            }
        }

        /**
         * Starts the echo backends and the proxy, and waits for its first configuration. Throws
         * {@link KitStartException} listing every problem when the configuration is refused, and stops what it
         * started.
         */
        public SwitchboardTestKit start() {
            Map<String, EchoBackend> echoes = new LinkedHashMap<>();
            Switchboard switchboard = null;
            try {
                for (String n : echoNames) {
                    echoes.put(n, EchoBackend.start(n));
                }
                Map<String, String> urls = new LinkedHashMap<>();
                echoes.forEach((n, e) -> urls.put(n, e.url()));
                String toml = resolve(toml(), urls);
                switchboard = Switchboard.fromToml(toml, options());
                try {
                    switchboard.start();
                } catch (ConfigException e) {
                    throw new KitStartException(toml, e.problems(), e);
                }
                if (switchboard.reloader().generation() == 0) {
                    List<ConfigProblem> problems = switchboard.reloader().lastProblems();
                    throw new KitStartException(toml, problems == null ? List.of() : problems, null);
                }
                return new SwitchboardTestKit(switchboard, echoes, entryPoint, toml);
            } catch (IOException e) {
                stop(switchboard, echoes);
                throw new UncheckedIOException("switchboard did not start", e);
            } catch (RuntimeException | Error e) {
                stop(switchboard, echoes);
                throw e;
            }
        }

        private static void stop(Switchboard switchboard, Map<String, EchoBackend> echoes) {
            if (switchboard != null) {
                switchboard.close();
            }
            echoes.values().forEach(EchoBackend::close);
        }

        private static String resolve(String toml, Map<String, String> urls) {
            Matcher m = PLACEHOLDER.matcher(toml);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String url = urls.get(m.group(1));
                if (url == null) {
                    throw new IllegalArgumentException("${echo." + m.group(1) + "} names no echo backend; declare it "
                            + "with echo(\"" + m.group(1) + "\") (there are " + urls.keySet() + ")");
                }
                m.appendReplacement(out, Matcher.quoteReplacement(url));
            }
            return m.appendTail(out).toString();
        }

        private static Path writeTemp(String toml) {
            try {
                Path f = Files.createTempFile("switchboard-check-", ".toml");
                Files.writeString(f, toml);
                return f;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static void deleteQuietly(Path f) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException ignored) {
                // a temporary file left behind is harmless
            }
        }
    }

    /** Unwraps a {@link CompletableFuture#join()} failure to its cause, for assertions. */
    static RuntimeException unwrap(CompletionException e) {
        return e.getCause() instanceof RuntimeException r ? r : e;
    }
}
