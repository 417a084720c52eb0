package dev.switchboard.kernel.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.switchboard.kernel.routing.Suggestions;
import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.config.ConfigProblem;
import dev.switchboard.spi.model.Origin;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the static configuration from the main TOML file in Traefik v1's format. Every error is collected (file,
 * line, key, what was expected) and thrown together as one {@link ConfigException}; sections that are valid
 * Traefik v1 but not built yet are accepted with one warning each.
 *
 * <p>Keys are matched ignoring case, as Traefik v1 did. {@code [frontends]}, {@code [backends]} and {@code [tls]}
 * of the main file are the file provider's and are not read here.
 */
public final class StaticConfigLoader {

    /** Top-level keys and sections of Traefik v1 that are accepted but have no effect yet. */
    private static final Map<String, String> NOT_BUILT = Map.ofEntries(
            Map.entry("maxidleconnsperhost", "maxIdleConnsPerHost"),
            Map.entry("insecureskipverify", "insecureSkipVerify"),
            Map.entry("rootcas", "rootCAs"),
            Map.entry("constraints", "constraints"),
            Map.entry("accesslogsfile", "accessLogsFile"),
            Map.entry("traefiklogsfile", "traefikLogsFile"),
            Map.entry("traefiklog", "traefikLog"),
            Map.entry("tracing", "tracing"),
            Map.entry("cluster", "cluster"),
            Map.entry("acme", "acme"),
            Map.entry("web", "web"),
            Map.entry("metrics", "metrics"),
            Map.entry("hostresolver", "hostResolver"));

    /** Keys that are deliberately without effect: Switchboard never contacts anything on its own. */
    private static final Set<String> NO_EFFECT = Set.of("checknewversion", "sendanonymoususage");

    private static final List<String> KNOWN_TOP_LEVEL = List.of("defaultEntryPoints", "entryPoints", "logLevel",
            "debug", "keepTrailingSlash", "AllowMinWeightZero", "providersThrottleDuration", "graceTimeOut",
            "idleTimeout", "lifeCycle", "respondingTimeouts", "forwardingTimeouts", "eventLoops", "api", "ping",
            "accessLog", "frontends", "backends", "tls", "checkNewVersion", "sendAnonymousUsage", "file", "docker",
            "marathon", "consul", "consulCatalog", "etcd", "zookeeper", "boltdb", "kubernetes", "mesos", "eureka",
            "ecs", "rancher", "dynamodb", "serviceFabric", "rest", "maxIdleConnsPerHost", "insecureSkipVerify",
            "rootCAs", "constraints", "accessLogsFile", "traefikLogsFile", "traefikLog", "tracing", "cluster", "acme",
            "retry", "healthcheck", "web", "metrics", "hostResolver", "pluginCallBudget");

    private static final Set<String> ENTRY_POINT_NOT_BUILT = Set.of("tls", "redirect", "auth", "whitelist",
            "whitelistsourcerange", "proxyprotocol", "compress", "clientipstrategy");

    private final String fileName;
    private final Path file;
    private final TomlLineIndex index;
    private final List<ConfigProblem> errors = new ArrayList<>();
    private final List<ConfigProblem> warnings = new ArrayList<>();

    private StaticConfigLoader(Path file, String fileName, TomlLineIndex index) {
        this.file = file;
        this.fileName = fileName;
        this.index = index;
    }

    /** Reads and validates {@code file}. */
    public static StaticConfig load(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(new ConfigProblem(new Origin(file.toString(), 0), "",
                    "cannot read the configuration file: " + e));
        }
        // Messages name the file as the user wrote it; providers resolve relative paths against its real folder.
        return parse(text, file.toAbsolutePath(), file.toString());
    }

    /** Reads and validates {@code text}; {@code file} (may be null) is where relative paths resolve from. */
    public static StaticConfig parse(String text, Path file, String fileName) throws ConfigException {
        StaticConfigLoader loader = new StaticConfigLoader(file, fileName, TomlLineIndex.of(text));
        JsonNode root;
        try {
            root = new TomlMapper().readTree(text);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new ConfigException(new ConfigProblem(new Origin(fileName, Math.max(line, 0)), "",
                    "invalid TOML: " + e.getOriginalMessage()));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            root = new TomlMapper().createObjectNode();
        }
        StaticConfig config = loader.read((ObjectNode) root);
        if (!loader.errors.isEmpty()) {
            throw new ConfigException(loader.errors);
        }
        return config;
    }

    /** Reads just {@code logLevel} (and {@code debug}) without validating anything else; null if unset or unreadable. */
    public static LogLevel peekLogLevel(Path file) {
        try {
            JsonNode root = new TomlMapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
            LogLevel level = null;
            for (Map.Entry<String, JsonNode> e : root.properties()) {
                if (e.getKey().equalsIgnoreCase("debug") && e.getValue().asBoolean(false)) {
                    return LogLevel.DEBUG;
                }
                if (e.getKey().equalsIgnoreCase("logLevel") && e.getValue().isTextual()) {
                    level = LogLevel.parse(e.getValue().asText());
                }
            }
            return level;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private StaticConfig read(ObjectNode root) {
        List<String> defaultEntryPoints = List.of("http");
        String defaultEntryPointsKey = null;
        Map<String, EntryPointConfig> entryPoints = null;
        LogLevel logLevel = LogLevel.ERROR;
        boolean debug = false;
        boolean keepTrailingSlash = false;
        boolean allowMinWeightZero = false;
        Duration throttle = Duration.ofSeconds(2);
        Duration deprecatedGrace = Duration.ZERO;
        Duration deprecatedIdle = Duration.ZERO;
        Duration grace = Duration.ofSeconds(10);
        Duration read = Duration.ZERO;
        Duration write = Duration.ZERO;
        Duration idle = Duration.ofSeconds(180);
        Duration dial = Duration.ofSeconds(30);
        Duration responseHeader = Duration.ZERO;
        int eventLoops = Runtime.getRuntime().availableProcessors();
        Duration pluginCallBudget = Duration.ofMillis(50);
        Section api = null;
        Section ping = null;
        Section accessLog = null;
        int retryAttempts = -1;
        Duration healthCheckInterval = Duration.ofSeconds(30);
        Map<String, Section> others = new LinkedHashMap<>();
        boolean dynamic = false;

        for (Map.Entry<String, JsonNode> e : root.properties()) {
            String key = e.getKey();
            JsonNode v = e.getValue();
            String lower = key.toLowerCase(Locale.ROOT);
            switch (lower) {
                case "defaultentrypoints" -> {
                    List<String> names = stringList(key, v);
                    if (names != null) {
                        defaultEntryPoints = names;
                        defaultEntryPointsKey = key;
                    }
                }
                case "entrypoints" -> entryPoints = entryPoints(key, v);
                case "loglevel" -> {
                    String s = string(key, v, "one of DEBUG, INFO, WARN, ERROR, FATAL, PANIC");
                    if (s != null) {
                        LogLevel l = LogLevel.parse(s);
                        if (l == null) {
                            error(key, "unknown log level \"" + s + "\"; expected one of DEBUG, INFO, WARN, ERROR, "
                                    + "FATAL, PANIC");
                        } else {
                            logLevel = l;
                        }
                    }
                }
                case "debug" -> {
                    debug = bool(key, v, false);
                    if (debug) {
                        warn(key, "accepted: log level DEBUG; the /debug endpoints are not built yet");
                    }
                }
                case "keeptrailingslash" -> keepTrailingSlash = bool(key, v, false);
                case "allowminweightzero" -> allowMinWeightZero = bool(key, v, false);
                case "providersthrottleduration" -> throttle = duration(key, v, throttle);
                case "gracetimeout" -> deprecatedGrace = duration(key, v, Duration.ZERO);
                case "idletimeout" -> deprecatedIdle = duration(key, v, Duration.ZERO);
                case "lifecycle" -> {
                    ObjectNode t = table(key, v);
                    if (t != null) {
                        for (Map.Entry<String, JsonNode> kv : t.properties()) {
                            String k = key + "." + kv.getKey();
                            switch (kv.getKey().toLowerCase(Locale.ROOT)) {
                                case "gracetimeout" -> grace = duration(k, kv.getValue(), grace);
                                case "requestacceptgracetimeout" -> {
                                    Duration d = duration(k, kv.getValue(), Duration.ZERO);
                                    if (!d.isZero()) {
                                        warn(k, "accepted, not built yet: listeners stop accepting at once");
                                    }
                                }
                                default -> unknownKey(k, List.of("graceTimeOut", "requestAcceptGraceTimeout"));
                            }
                        }
                    }
                }
                case "respondingtimeouts" -> {
                    ObjectNode t = table(key, v);
                    if (t != null) {
                        for (Map.Entry<String, JsonNode> kv : t.properties()) {
                            String k = key + "." + kv.getKey();
                            switch (kv.getKey().toLowerCase(Locale.ROOT)) {
                                case "readtimeout" -> read = duration(k, kv.getValue(), read);
                                case "writetimeout" -> write = duration(k, kv.getValue(), write);
                                case "idletimeout" -> idle = duration(k, kv.getValue(), idle);
                                default -> unknownKey(k, List.of("readTimeout", "writeTimeout", "idleTimeout"));
                            }
                        }
                    }
                }
                case "forwardingtimeouts" -> {
                    ObjectNode t = table(key, v);
                    if (t != null) {
                        for (Map.Entry<String, JsonNode> kv : t.properties()) {
                            String k = key + "." + kv.getKey();
                            switch (kv.getKey().toLowerCase(Locale.ROOT)) {
                                case "dialtimeout" -> dial = duration(k, kv.getValue(), dial);
                                case "responseheadertimeout" -> responseHeader = duration(k, kv.getValue(),
                                        responseHeader);
                                default -> unknownKey(k, List.of("dialTimeout", "responseHeaderTimeout"));
                            }
                        }
                    }
                }
                case "eventloops" -> {
                    if (v.isIntegralNumber() && v.asLong() >= 1 && v.asLong() <= 1024) {
                        eventLoops = v.asInt();
                    } else {
                        error(key, "expected a whole number of event loops from 1 to 1024, got " + v);
                    }
                }
                case "plugincallbudget" -> pluginCallBudget = duration(key, v, pluginCallBudget);
                case "api" -> {
                    api = section(key, v);
                    if (api != null) {
                        warn(key, "accepted, not built yet: the API and dashboard are not served");
                    }
                }
                case "ping" -> {
                    ping = section(key, v);
                    if (ping != null) {
                        warn(key, "accepted, not built yet: /ping is not served");
                    }
                }
                case "accesslog" -> {
                    accessLog = section(key, v);
                    if (accessLog != null) {
                        String format = accessLog.string("format", "common");
                        if (!format.equals("common") && !format.equals("json")) {
                            error(key + ".format", "unknown access log format \"" + format
                                    + "\"; expected \"common\" or \"json\"");
                        }
                        warn(key, "accepted, not built yet: no access log is written");
                    }
                }
                case "retry" -> {
                    ObjectNode t = table(key, v);
                    if (t != null) {
                        retryAttempts = 0;
                        for (Map.Entry<String, JsonNode> kv : t.properties()) {
                            String k = key + "." + kv.getKey();
                            if (kv.getKey().equalsIgnoreCase("attempts")) {
                                JsonNode a = kv.getValue();
                                if (a.isIntegralNumber() && a.asLong() >= 0 && a.asLong() <= 1000) {
                                    retryAttempts = a.asInt();
                                } else {
                                    error(k, "expected a whole number of attempts from 0 (the backend's number of "
                                            + "servers) to 1000, got " + describe(a));
                                }
                            } else {
                                unknownKey(k, List.of("attempts"));
                            }
                        }
                    }
                }
                case "healthcheck" -> {
                    ObjectNode t = table(key, v);
                    if (t != null) {
                        for (Map.Entry<String, JsonNode> kv : t.properties()) {
                            String k = key + "." + kv.getKey();
                            if (kv.getKey().equalsIgnoreCase("interval")) {
                                Duration d = duration(k, kv.getValue(), healthCheckInterval);
                                if (d.isZero()) {
                                    error(k, "is zero; expected a positive duration such as \"30s\"");
                                } else {
                                    healthCheckInterval = d;
                                }
                            } else {
                                unknownKey(k, List.of("interval"));
                            }
                        }
                    }
                }
                case "frontends", "backends", "tls" -> dynamic |= !lower.equals("tls");
                default -> {
                    if (NO_EFFECT.contains(lower)) {
                        warn(key, "accepted, has no effect: Switchboard never contacts anything on its own");
                    } else if (NOT_BUILT.containsKey(lower)) {
                        warn(key, "accepted, not built yet");
                    } else if (v.isObject()) {
                        Section s = section(key, v);
                        others.put(key, s);
                    } else {
                        unknownKey(key, KNOWN_TOP_LEVEL);
                    }
                }
            }
        }

        if (entryPoints == null || (entryPoints.isEmpty() && !hasEntryPointErrors())) {
            // Traefik v1 SetEffectiveConfiguration: no entry point at all gives http on :80.
            entryPoints = new TreeMap<>();
            entryPoints.put("http", new EntryPointConfig("http", new InetSocketAddress(80), ":80", List.of(),
                    new Origin(fileName, 0)));
        }
        List<String> known = new ArrayList<>();
        for (String name : defaultEntryPoints) {
            if (entryPoints.containsKey(name)) {
                known.add(name);
            } else {
                warn(defaultEntryPointsKey == null ? "defaultEntryPoints" : defaultEntryPointsKey,
                        "entry point \"" + name + "\" is not defined; dropped from the default entry points "
                                + "(defined: " + String.join(", ", entryPoints.keySet()) + ")");
            }
        }
        if (deprecatedGrace.compareTo(Duration.ZERO) > 0) {
            grace = deprecatedGrace;
        }
        if (deprecatedIdle.compareTo(Duration.ZERO) > 0) {
            idle = deprecatedIdle;
        }
        if (debug) {
            logLevel = LogLevel.DEBUG;
        }
        // File order; problems about defaults (no line) last.
        warnings.sort(java.util.Comparator.comparingInt(p -> p.origin().line() == 0 ? Integer.MAX_VALUE : p.origin().line()));
        return new StaticConfig(file, fileName, known, entryPoints, logLevel, keepTrailingSlash, allowMinWeightZero,
                throttle, grace, read, write, idle, dial, responseHeader, eventLoops, api, ping, accessLog, others,
                dynamic, warnings, retryAttempts, healthCheckInterval, pluginCallBudget);
    }

    private boolean hasEntryPointErrors() {
        return errors.stream().anyMatch(p -> p.key().toLowerCase(Locale.ROOT).startsWith("entrypoints"));
    }

    private Map<String, EntryPointConfig> entryPoints(String key, JsonNode v) {
        Map<String, EntryPointConfig> result = new TreeMap<>();
        ObjectNode t = table(key, v);
        if (t == null) {
            return result;
        }
        for (Map.Entry<String, JsonNode> e : t.properties()) {
            String name = e.getKey();
            String base = key + "." + name;
            ObjectNode ep = table(base, e.getValue());
            if (ep == null) {
                continue;
            }
            InetSocketAddress address = null;
            String addressText = null;
            List<String> trusted = List.of();
            boolean hasAddress = false;
            for (Map.Entry<String, JsonNode> kv : ep.properties()) {
                String k = base + "." + kv.getKey();
                String lower = kv.getKey().toLowerCase(Locale.ROOT);
                if (lower.equals("address")) {
                    hasAddress = true;
                    addressText = string(k, kv.getValue(), "an address such as \":80\" or \"127.0.0.1:8080\"");
                    if (addressText != null) {
                        address = address(k, addressText);
                    }
                } else if (lower.equals("forwardedheaders")) {
                    trusted = forwardedHeaders(k, kv.getValue());
                } else if (lower.equals("compress")) {
                    if (bool(k, kv.getValue(), false)) {
                        warn(k, "accepted, not built yet: responses are not compressed");
                    }
                } else if (ENTRY_POINT_NOT_BUILT.contains(lower)) {
                    warn(k, "accepted, not built yet");
                } else {
                    unknownKey(k, List.of("address", "forwardedHeaders", "tls", "redirect", "auth", "whiteList",
                            "proxyProtocol", "compress"));
                }
            }
            if (!hasAddress) {
                error(base + ".address", "missing; expected an address such as \":80\" or \"127.0.0.1:8080\"");
            }
            if (address != null) {
                result.put(name, new EntryPointConfig(name, address, addressText, trusted, origin(base)));
            }
        }
        return result;
    }

    private List<String> forwardedHeaders(String key, JsonNode v) {
        ObjectNode t = table(key, v);
        if (t == null) {
            return List.of();
        }
        List<String> trusted = new ArrayList<>();
        boolean insecure = false;
        for (Map.Entry<String, JsonNode> kv : t.properties()) {
            String k = key + "." + kv.getKey();
            switch (kv.getKey().toLowerCase(Locale.ROOT)) {
                case "trustedips" -> {
                    List<String> ips = stringList(k, kv.getValue());
                    if (ips != null) {
                        for (String ip : ips) {
                            if (isAddressOrCidr(ip)) {
                                trusted.add(ip.trim());
                            } else {
                                error(k, "\"" + ip + "\" is not an IP address or CIDR; expected for example "
                                        + "\"10.0.0.0/8\" or \"192.168.1.7\"");
                            }
                        }
                    }
                }
                case "insecure" -> insecure = bool(k, kv.getValue(), false);
                default -> unknownKey(k, List.of("trustedIPs", "insecure"));
            }
        }
        return insecure ? List.of("0.0.0.0/0", "::/0") : trusted;
    }

    static boolean isAddressOrCidr(String text) {
        String s = text.trim();
        int slash = s.indexOf('/');
        String ip = slash < 0 ? s : s.substring(0, slash);
        if (!ip.matches("[0-9.]+") && !(ip.contains(":") && ip.matches("[0-9a-fA-F:.]+"))) {
            return false;
        }
        try {
            InetAddress a = InetAddress.getByName(ip);
            if (slash >= 0) {
                int bits = Integer.parseInt(s.substring(slash + 1));
                return bits >= 0 && bits <= a.getAddress().length * 8;
            }
            return true;
        } catch (UnknownHostException | NumberFormatException e) {
            return false;
        }
    }

    private InetSocketAddress address(String key, String text) {
        String expected = "expected [host]:port such as \":80\", \"127.0.0.1:8080\" or \"[::1]:80\"";
        String host;
        String port;
        String s = text.trim();
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                error(key, "invalid address \"" + text + "\"; " + expected);
                return null;
            }
            host = s.substring(1, close);
            port = s.substring(close + 2);
        } else {
            int colon = s.lastIndexOf(':');
            if (colon < 0 || s.indexOf(':') != colon) {
                error(key, "invalid address \"" + text + "\"; " + expected);
                return null;
            }
            host = s.substring(0, colon);
            port = s.substring(colon + 1);
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            error(key, "invalid port \"" + port + "\" in \"" + text + "\"; " + expected);
            return null;
        }
        if (p < 0 || p > 65535) {
            error(key, "port " + p + " out of range in \"" + text + "\"; expected 0 to 65535");
            return null;
        }
        if (host.isEmpty()) {
            return new InetSocketAddress(p);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), p);
        } catch (UnknownHostException e) {
            error(key, "host \"" + host + "\" in \"" + text + "\" does not resolve; " + expected);
            return null;
        }
    }

    private Section section(String key, JsonNode v) {
        ObjectNode t = table(key, v);
        if (t == null) {
            return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> values = (Map<String, Object>) plain(t);
        return new Section(key, values, origin(key));
    }

    /** A Jackson node as plain Java values (String, Long, Double, Boolean, List, Map). */
    static Object plain(JsonNode n) {
        if (n.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            n.properties().forEach(e -> m.put(e.getKey(), plain(e.getValue())));
            return java.util.Collections.unmodifiableMap(m);
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>();
            n.forEach(x -> l.add(plain(x)));
            return java.util.Collections.unmodifiableList(l);
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isIntegralNumber()) {
            return n.longValue();
        }
        if (n.isNumber()) {
            return n.doubleValue();
        }
        return n.asText();
    }

    private ObjectNode table(String key, JsonNode v) {
        if (v instanceof ObjectNode o) {
            return o;
        }
        error(key, "expected a table ([" + key + "]), got " + describe(v));
        return null;
    }

    private String string(String key, JsonNode v, String expected) {
        if (v.isTextual()) {
            return v.asText();
        }
        error(key, "expected a string (" + expected + "), got " + describe(v));
        return null;
    }

    private boolean bool(String key, JsonNode v, boolean fallback) {
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        error(key, "expected true or false, got " + describe(v));
        return fallback;
    }

    private List<String> stringList(String key, JsonNode v) {
        List<String> out = new ArrayList<>();
        if (v.isTextual()) {
            for (String s : v.asText().split(",")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
            return out;
        }
        if (v.isArray()) {
            for (JsonNode x : v) {
                if (!x.isTextual()) {
                    error(key, "expected a list of strings, got an element " + describe(x));
                    return null;
                }
                out.add(x.asText());
            }
            return out;
        }
        error(key, "expected a list of strings such as [\"http\", \"https\"], got " + describe(v));
        return null;
    }

    private Duration duration(String key, JsonNode v, Duration fallback) {
        if (v.isIntegralNumber()) {
            if (v.asLong() < 0) {
                error(key, "negative duration " + v.asLong() + "; expected " + GoDuration.EXPECTED);
                return fallback;
            }
            return Duration.ofSeconds(v.asLong());
        }
        if (v.isTextual()) {
            try {
                Duration d = GoDuration.parse(v.asText());
                if (d.isNegative()) {
                    error(key, "negative duration \"" + v.asText() + "\"; expected " + GoDuration.EXPECTED);
                    return fallback;
                }
                return d;
            } catch (IllegalArgumentException e) {
                error(key, e.getMessage() + "; expected " + GoDuration.EXPECTED);
                return fallback;
            }
        }
        error(key, "expected " + GoDuration.EXPECTED + ", got " + describe(v));
        return fallback;
    }

    private static String describe(JsonNode v) {
        if (v.isTextual()) {
            return "the string \"" + v.asText() + "\"";
        }
        if (v.isObject()) {
            return "a table";
        }
        if (v.isArray()) {
            return "a list";
        }
        if (v.isBoolean()) {
            return "the boolean " + v.asText();
        }
        return v.isNumber() ? "the number " + v.asText() : v.getNodeType().toString().toLowerCase(Locale.ROOT);
    }

    private void unknownKey(String key, List<String> known) {
        String last = key.substring(key.lastIndexOf('.') + 1);
        String suggestion = Suggestions.closest(last, known);
        warn(key, "unknown key, ignored" + (suggestion == null ? "" : "; did you mean \"" + suggestion + "\"?"));
    }

    private Origin origin(String key) {
        return new Origin(fileName, index.lineOf(key));
    }

    private void error(String key, String message) {
        errors.add(new ConfigProblem(origin(key), key, message));
    }

    private void warn(String key, String message) {
        warnings.add(new ConfigProblem(origin(key), key, message));
    }
}
