package dev.switchboard.provider.etcd;

import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.config.ConfigProblem;
import dev.switchboard.spi.config.ProviderSettings;
import dev.switchboard.spi.model.Origin;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code [etcd]} section, as Traefik v1.7 wrote it ({@code endpoint}, {@code prefix}, {@code watch},
 * {@code useAPIV3}, {@code username}, {@code password}, {@code [etcd.tls]}), plus three Switchboard timings.
 *
 * @param endpoints   base URLs of the etcd members to try in order ({@code http://host:port}, or {@code https://} when
 *                    {@code [etcd.tls]} is present)
 * @param prefix      the key prefix without trailing slash, for example {@code /traefik}
 * @param watch       follow changes after the first read
 * @param username    etcd user, or null for no authentication
 * @param password    its password
 * @param tls         the {@code [etcd.tls]} section, or null for plain HTTP
 * @param quietPeriod a burst of changes is published once no change came for this long ({@code coalesce})
 * @param maxDelay    ... but never later than this after the first change of the burst ({@code coalesceMax})
 * @param retryMin    first wait before retrying an unreachable etcd ({@code retryMin}); doubled per failure
 * @param retryMax    longest wait between retries ({@code retryMax})
 * @param probe       while watching, how often the watched member is asked for a linearizable read; a member that
 *                    fails it (frozen, or cut off from its cluster's quorum) is left ({@code probeInterval}; 0: never)
 */
record EtcdSettings(List<URI> endpoints, String prefix, boolean watch, String username, String password, Tls tls,
                    Duration quietPeriod, Duration maxDelay, Duration retryMin, Duration retryMax, Duration probe) {

    /** {@code [etcd.tls]}: PEM files (relative paths against the main configuration file's folder). */
    record Tls(Path ca, Path cert, Path key, boolean insecureSkipVerify) {
    }

    static final String DEFAULT_ENDPOINT = "127.0.0.1:2379";
    static final String DEFAULT_PREFIX = "/traefik";
    static final Set<String> KEYS = Set.of("endpoint", "endpoints", "prefix", "watch", "useAPIV3", "username",
            "password", "tls", "filename", "constraints", "trace", "templateVersion", "debugLogGeneratedTemplate",
            "coalesce", "coalesceMax", "retryMin", "retryMax", "probeInterval");
    static final Set<String> TLS_KEYS = Set.of("ca", "caOptional", "cert", "key", "insecureSkipVerify");

    /** Reads the section; problems that make it unusable are thrown together, the rest go to {@code warnings}. */
    static EtcdSettings from(ProviderSettings s, List<ConfigProblem> warnings) throws ConfigException {
        List<ConfigProblem> errors = new ArrayList<>();
        Origin origin = s.origin();
        Map<String, Object> v = s.values();
        for (String key : v.keySet()) {
            if (find(KEYS, key) == null) {
                warnings.add(new ConfigProblem(origin, "etcd." + key, "unknown setting, ignored (known: endpoint, "
                        + "prefix, watch, useAPIV3, username, password, [etcd.tls], coalesce, coalesceMax, retryMin, "
                        + "retryMax, probeInterval)"));
            }
        }
        for (String ignored : List.of("filename", "constraints", "templateVersion", "debugLogGeneratedTemplate")) {
            if (get(v, ignored) != null) {
                warnings.add(new ConfigProblem(origin, "etcd." + ignored, "accepted, not built: Switchboard reads "
                        + "Traefik v1's key layout directly (no Go template, no constraints); ignored"));
            }
        }

        Object useV3 = get(v, "useAPIV3");
        if (useV3 != null && !Boolean.TRUE.equals(asBool(useV3))) {
            errors.add(new ConfigProblem(origin, "etcd.useAPIV3", "is " + useV3 + ": the etcd v2 API is not "
                    + "supported (Traefik v1 deprecated it); set useAPIV3 = true and keep the keys in etcd's v3 store "
                    + "(etcdctl with ETCDCTL_API=3)"));
        }

        Object tlsValue = get(v, "tls");
        Tls tls = null;
        if (tlsValue instanceof Map<?, ?> t) {
            tls = tls(t, s.mainConfigFile(), origin, errors, warnings);
        } else if (tlsValue != null) {
            errors.add(new ConfigProblem(origin, "etcd.tls", "expected a table [etcd.tls] with ca, cert, key, "
                    + "insecureSkipVerify"));
        }

        List<URI> endpoints = new ArrayList<>();
        Object ep = get(v, "endpoint");
        Object eps = get(v, "endpoints");
        if (ep != null && eps != null) {
            errors.add(new ConfigProblem(origin, "etcd.endpoints", "written together with endpoint: write one"));
        }
        Object raw = ep != null ? ep : eps != null ? eps : DEFAULT_ENDPOINT;
        List<String> items = new ArrayList<>();
        if (raw instanceof List<?> list) {
            list.forEach(o -> items.add(String.valueOf(o)));
        } else {
            for (String part : raw.toString().split(",")) {
                items.add(part);
            }
        }
        for (String item : items) {
            String e = item.strip();
            if (e.isEmpty()) {
                continue;
            }
            URI uri = endpoint(e, tls != null, origin, errors);
            if (uri != null) {
                endpoints.add(uri);
            }
        }
        if (endpoints.isEmpty() && errors.isEmpty()) {
            errors.add(new ConfigProblem(origin, "etcd.endpoint", "is empty: expected host:port, for example \""
                    + DEFAULT_ENDPOINT + "\""));
        }

        String prefix = String.valueOf(get(v, "prefix") == null ? DEFAULT_PREFIX : get(v, "prefix")).strip();
        if (!prefix.startsWith("/")) {
            prefix = "/" + prefix;
        }
        while (prefix.length() > 1 && prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        if (prefix.equals("/")) {
            errors.add(new ConfigProblem(origin, "etcd.prefix", "is \"/\": expected a key prefix such as \"/traefik\""));
        }

        Boolean watch = asBool(get(v, "watch") == null ? Boolean.TRUE : get(v, "watch"));
        if (watch == null) {
            errors.add(new ConfigProblem(origin, "etcd.watch", "\"" + get(v, "watch") + "\" is not true or false"));
        }
        String username = str(get(v, "username"));
        String password = str(get(v, "password"));
        if (username == null && password != null) {
            warnings.add(new ConfigProblem(origin, "etcd.password", "written without username; ignored"));
        }
        Duration quiet = duration(v, "coalesce", Duration.ofMillis(100), origin, errors);
        Duration maxDelay = duration(v, "coalesceMax", Duration.ofSeconds(1), origin, errors);
        Duration retryMin = duration(v, "retryMin", Duration.ofMillis(100), origin, errors);
        Duration retryMax = duration(v, "retryMax", Duration.ofSeconds(5), origin, errors);
        Duration probe = duration(v, "probeInterval", Duration.ofSeconds(10), origin, errors);
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        if (retryMax.compareTo(retryMin) < 0) {
            retryMax = retryMin;
        }
        if (maxDelay.compareTo(quiet) < 0) {
            maxDelay = quiet;
        }
        return new EtcdSettings(List.copyOf(endpoints), prefix, watch, username, username == null ? null : password,
                tls, quiet, maxDelay, retryMin, retryMax, probe);
    }

    private static Tls tls(Map<?, ?> t, Path mainFile, Origin origin, List<ConfigProblem> errors,
                           List<ConfigProblem> warnings) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) t;
        for (String key : m.keySet()) {
            if (find(TLS_KEYS, key) == null) {
                warnings.add(new ConfigProblem(origin, "etcd.tls." + key, "unknown setting, ignored (known: ca, "
                        + "cert, key, insecureSkipVerify)"));
            }
        }
        if (get(m, "caOptional") != null) {
            warnings.add(new ConfigProblem(origin, "etcd.tls.caOptional", "has no meaning for a client; ignored"));
        }
        Path base = mainFile == null || mainFile.toAbsolutePath().getParent() == null ? Path.of("")
                : mainFile.toAbsolutePath().getParent();
        Path ca = path(base, str(get(m, "ca")));
        Path cert = path(base, str(get(m, "cert")));
        Path key = path(base, str(get(m, "key")));
        if ((cert == null) != (key == null)) {
            errors.add(new ConfigProblem(origin, "etcd.tls." + (cert == null ? "cert" : "key"), "is missing: a "
                    + "client certificate needs both cert and key"));
        }
        Boolean insecure = asBool(get(m, "insecureSkipVerify") == null ? Boolean.FALSE : get(m, "insecureSkipVerify"));
        if (insecure == null) {
            errors.add(new ConfigProblem(origin, "etcd.tls.insecureSkipVerify", "is not true or false"));
            insecure = false;
        }
        if (insecure) {
            warnings.add(new ConfigProblem(origin, "etcd.tls.insecureSkipVerify", "is true: etcd's certificate and "
                    + "host name are not verified; anyone on the path can feed this proxy its routing"));
        }
        return new Tls(ca, cert, key, insecure);
    }

    private static URI endpoint(String e, boolean tls, Origin origin, List<ConfigProblem> errors) {
        String text = e.contains("://") ? e : (tls ? "https://" : "http://") + e;
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                errors.add(new ConfigProblem(origin, "etcd.endpoint", "\"" + e + "\": expected host:port, or an "
                        + "http:// or https:// URL"));
                return null;
            }
            if (uri.getHost() == null || uri.getPort() < 0) {
                errors.add(new ConfigProblem(origin, "etcd.endpoint", "\"" + e + "\": expected host:port, for example "
                        + "\"" + DEFAULT_ENDPOINT + "\""));
                return null;
            }
            return new URI(scheme, null, uri.getHost(), uri.getPort(), null, null, null);
        } catch (java.net.URISyntaxException ex) {
            errors.add(new ConfigProblem(origin, "etcd.endpoint", "\"" + e + "\" is not host:port (" + ex.getReason()
                    + ")"));
            return null;
        }
    }

    private static Duration duration(Map<String, Object> v, String key, Duration fallback, Origin origin,
                                     List<ConfigProblem> errors) {
        Object o = get(v, key);
        if (o == null) {
            return fallback;
        }
        Duration d = GoDuration.parse(o.toString());
        if (d == null || d.isNegative()) {
            errors.add(new ConfigProblem(origin, "etcd." + key, "\"" + o + "\" is not a duration such as \"100ms\" "
                    + "or \"5s\""));
            return fallback;
        }
        return d;
    }

    private static Path path(Path base, String p) {
        return p == null || p.isBlank() ? null : base.resolve(p);
    }

    private static String find(Set<String> known, String key) {
        for (String k : known) {
            if (k.equalsIgnoreCase(key)) {
                return k;
            }
        }
        return null;
    }

    /** Settings keys are matched without regard to case, as Traefik v1's TOML decoder did. */
    private static Object get(Map<String, Object> v, String key) {
        for (Map.Entry<String, Object> e : v.entrySet()) {
            if (e.getKey().equalsIgnoreCase(key)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    static Boolean asBool(Object o) {
        if (o instanceof Boolean b) {
            return b;
        }
        return GoValues.parseBool(o.toString());
    }
}
