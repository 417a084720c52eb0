package dev.switchboard.provider.etcd;

import dev.switchboard.provider.etcd.KeyTree.Node;
import dev.switchboard.spi.config.ConfigProblem;
import dev.switchboard.spi.model.Auth;
import dev.switchboard.spi.model.Backend;
import dev.switchboard.spi.model.Buffering;
import dev.switchboard.spi.model.CircuitBreaker;
import dev.switchboard.spi.model.Configuration;
import dev.switchboard.spi.model.ErrorPage;
import dev.switchboard.spi.model.Frontend;
import dev.switchboard.spi.model.Headers;
import dev.switchboard.spi.model.HealthCheck;
import dev.switchboard.spi.model.LoadBalancer;
import dev.switchboard.spi.model.MaxConn;
import dev.switchboard.spi.model.Origin;
import dev.switchboard.spi.model.RateLimit;
import dev.switchboard.spi.model.Redirect;
import dev.switchboard.spi.model.ResponseForwarding;
import dev.switchboard.spi.model.Route;
import dev.switchboard.spi.model.Server;
import dev.switchboard.spi.model.WhiteList;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Binds the keys under the prefix to the model, following Traefik v1.7's key-value layout (provider/kv/keynames.go
 * and kv_config.go): {@code <prefix>/frontends/<f>/...} and {@code <prefix>/backends/<b>/...}, with its defaults
 * ({@code passHostHeader} true, weight 1, lists written either {@code "a,b"} or as sub-keys {@code .../0},
 * {@code .../1}).
 *
 * <p>Unlike Traefik v1, which logged a bad value and used the default, every bad value and every unknown key under
 * {@code frontends/} or {@code backends/} is an error naming the key, and the snapshot is rejected as a whole.
 * Each problem's origin is {@code etcd:<key>}.
 */
final class KvBinder {

    /** The outcome: a configuration when there are no errors. */
    record Result(Configuration configuration, List<ConfigProblem> errors, List<ConfigProblem> warnings) {
        boolean ok() {
            return errors.isEmpty();
        }
    }

    static final List<String> FRONTEND_KEYS = List.of("backend", "priority", "passHostHeader", "entryPoints",
            "routes", "passTLSCert", "passTLSClientCert", "whiteList", "whitelistSourceRange", "basicAuth", "auth",
            "redirect", "errors", "ratelimit", "headers");
    static final List<String> BACKEND_KEYS = List.of("servers", "loadBalancer", "circuitBreaker", "healthCheck",
            "maxConn", "buffering", "responseForwarding");
    private static final Set<String> SERVER_SCHEMES = Set.of("http", "https", "h2c");

    private final String prefix;
    private final List<ConfigProblem> errors = new ArrayList<>();
    private final List<ConfigProblem> warnings = new ArrayList<>();

    private KvBinder(String prefix) {
        this.prefix = prefix;
    }

    /** Binds every key of {@code kvs} under {@code prefix}. */
    static Result bind(String prefix, Map<String, String> kvs) {
        return new KvBinder(prefix).bindAll(KeyTree.of(prefix, kvs));
    }

    private Result bindAll(KeyTree tree) {
        Node root = tree.root();
        Map<String, Frontend> frontends = new TreeMap<>();
        Map<String, Backend> backends = new TreeMap<>();
        for (Node top : root.children()) {
            String s = top.segment.toLowerCase(Locale.ROOT);
            switch (s) {
                case "frontends" -> {
                    top.read = true;
                    for (Node f : top.children()) {
                        if (named(f)) {
                            Frontend fr = frontend(f);
                            if (fr != null) {
                                frontends.put(f.segment, fr);
                            }
                        }
                    }
                }
                case "backends" -> {
                    top.read = true;
                    for (Node b : top.children()) {
                        if (named(b)) {
                            backends.put(b.segment, backend(b));
                        }
                    }
                }
                case "tls" -> {
                    top.markAllRead();
                    warn(top, "accepted, not built yet: certificates from the store are not loaded; ignored");
                }
                case "alias" -> {
                    top.markAllRead();
                    warn(top, "not supported: Switchboard reads the prefix of the [etcd] section only; ignored");
                }
                case "" -> top.markAllRead();
                default -> {
                    // Traefik v1's storeconfig wrote the static configuration under the same prefix
                    // (entrypoints, acme, loglevel, ...): not this provider's to judge, and never read.
                    top.markAllRead();
                    warn(top, "not part of the dynamic configuration (frontends, backends); Switchboard reads static"
                            + " settings from its main file only; ignored");
                }
            }
        }
        for (Node n : tree.unread()) {
            Node twin = tree.readTwin(n);
            if (twin != null) {
                error(n, "the same key as " + twin.key + " (fixed key segments match without regard to case); "
                        + "write one of them");
                continue;
            }
            boolean frontend = n.relative.toLowerCase(Locale.ROOT).startsWith("frontends/");
            error(n, "unknown key: not part of Traefik v1's key layout (a " + (frontend ? "frontend" : "backend")
                    + " has " + String.join(", ", frontend ? FRONTEND_KEYS : BACKEND_KEYS) + ")");
        }
        Configuration c = errors.isEmpty() ? new Configuration(frontends, backends) : null;
        return new Result(c, List.copyOf(errors), List.copyOf(warnings));
    }

    /** A child of {@code frontends/} or {@code backends/}: skips directory markers ({@code frontends/}). */
    private static boolean named(Node n) {
        if (n.segment.isEmpty()) {
            n.markAllRead();
            return false;
        }
        if (n.hasValue() && n.children.isEmpty()) {
            // "<prefix>/frontends/f1" written with a value: etcd v2 directory habits; nothing to bind
            n.read = n.value.isEmpty();
        }
        return true;
    }

    // ---- frontends ----------------------------------------------------------------------------------------------

    private Frontend frontend(Node f) {
        f.read = f.read || !f.hasValue() || f.value.isEmpty();
        String name = f.segment;
        String backend = string(f, "backend");
        Long priority = integer(f, "priority", Integer.MIN_VALUE, Integer.MAX_VALUE);
        // Traefik v1.7 reads passhostheader, else the deprecated passHostHeader: one node here, matched without case.
        Boolean passHostHeader = bool(f, "passHostHeader");
        List<String> entryPoints = list(f, "entryPoints");
        Map<String, Route> routes = new TreeMap<>();
        Node rs = f.child("routes");
        if (rs != null) {
            rs.read = true;
            for (Node r : rs.children()) {
                if (r.segment.isEmpty()) {
                    r.markAllRead();
                    continue;
                }
                r.read = true;
                Node rule = r.child("rule");
                String text = rule == null ? null : value(rule);
                if (text == null || text.isBlank()) {
                    // Traefik v1 skipped a route without rule; a half-written route is an error here, named.
                    error(rule == null ? r : rule, "route '" + r.segment + "' has no rule: expected for example "
                            + "\"Host:example.com\" at " + r.key + "/rule");
                } else {
                    routes.put(r.segment, new Route(r.segment, text.strip(), origin(rule)));
                }
            }
        }
        if (routes.isEmpty()) {
            warn(f, "no routes: this frontend matches every request, as in Traefik v1");
        }
        Boolean passTLSCert = bool(f, "passTLSCert");
        Map<String, Object> passTLSClientCert = passTLSClientCert(f);
        WhiteList whiteList = whiteList(f);
        Auth auth = auth(f);
        Redirect redirect = redirect(f);
        Map<String, ErrorPage> errorPages = errorPages(f);
        RateLimit rateLimit = rateLimit(f);
        Headers headers = headers(f);
        for (String notBuilt : List.of("passTLSCert", "passTLSClientCert", "whiteList", "whitelistSourceRange",
                "basicAuth", "auth", "redirect", "errors", "ratelimit", "headers")) {
            Node n = f.child(notBuilt);
            if (n != null) {
                warn(n, "accepted, not built yet: this frontend runs without it");
            }
        }
        return new Frontend(name, entryPoints, backend, passHostHeader == null || passHostHeader,
                priority == null ? 0 : priority.intValue(), routes, headers, redirect, errorPages, rateLimit, auth,
                whiteList, passTLSCert != null && passTLSCert, passTLSClientCert, origin(f));
    }

    private Map<String, Object> passTLSClientCert(Node f) {
        Node p = f.child("passTLSClientCert");
        if (p == null) {
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        Boolean pem = bool(p, "pem");
        if (pem != null) {
            out.put("pem", pem);
        }
        Node infos = p.child("infos");
        if (infos != null) {
            Map<String, Object> i = new LinkedHashMap<>();
            for (String k : List.of("notAfter", "notBefore", "sans")) {
                Boolean b = bool(infos, k);
                if (b != null) {
                    i.put(k, b);
                }
            }
            for (String dn : List.of("subject", "issuer")) {
                Node d = infos.child(dn);
                if (d != null) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    for (String k : List.of("commonName", "country", "domainComponent", "locality", "organization",
                            "province", "serialNumber")) {
                        Boolean b = bool(d, k);
                        if (b != null) {
                            m.put(k, b);
                        }
                    }
                    i.put(dn, m);
                }
            }
            out.put("infos", i);
        }
        return out;
    }

    private WhiteList whiteList(Node f) {
        List<String> deprecated = list(f, "whitelistSourceRange");
        Node w = f.child("whiteList");
        List<String> ranges = w == null ? List.of() : list(w, "sourceRange");
        boolean xff = w != null && Boolean.TRUE.equals(bool(w, "useXForwardedFor"));
        if (!ranges.isEmpty()) {
            return new WhiteList(ranges, xff);
        }
        return deprecated.isEmpty() ? null : new WhiteList(deprecated, false);
    }

    private Auth auth(Node f) {
        List<String> basicAuth = list(f, "basicAuth");
        Node a = f.child("auth");
        if (a == null && basicAuth.isEmpty()) {
            return null;
        }
        String headerField = a == null ? null : string(a, "headerField");
        Auth.Basic basic = null;
        Auth.Basic digest = null;
        Auth.Forward forward = null;
        Node b = a == null ? null : a.child("basic");
        if (b != null || !basicAuth.isEmpty()) {
            List<String> users = b == null ? List.of() : list(b, "users");
            basic = new Auth.Basic(basicAuth.isEmpty() ? users : basicAuth, b == null ? null : string(b, "usersFile"),
                    b != null && Boolean.TRUE.equals(bool(b, "removeHeader")));
        }
        Node d = a == null ? null : a.child("digest");
        if (d != null) {
            digest = new Auth.Basic(list(d, "users"), string(d, "usersFile"),
                    Boolean.TRUE.equals(bool(d, "removeHeader")));
        }
        Node fw = a == null ? null : a.child("forward");
        if (fw != null) {
            Node tls = fw.child("tls");
            if (tls != null) {
                tls.markAllRead();
            }
            // Traefik v1.7 spelled this key ".authresponseheaders" (keynames.go); both are read.
            List<String> headers = new ArrayList<>(list(fw, "authResponseHeaders"));
            headers.addAll(list(fw, ".authResponseHeaders"));
            forward = new Auth.Forward(string(fw, "address"), Boolean.TRUE.equals(bool(fw, "trustForwardHeader")),
                    headers);
        }
        return new Auth(headerField, basic, digest, forward);
    }

    private Redirect redirect(Node f) {
        Node r = f.child("redirect");
        if (r == null) {
            return null;
        }
        String entryPoint = string(r, "entryPoint");
        String regex = string(r, "regex");
        String replacement = string(r, "replacement");
        boolean permanent = Boolean.TRUE.equals(bool(r, "permanent"));
        if (entryPoint == null && (regex == null || replacement == null)) {
            error(r, "redirect needs entryPoint, or both regex and replacement");
            return null;
        }
        return new Redirect(entryPoint, entryPoint == null ? regex : null, entryPoint == null ? replacement : null,
                permanent);
    }

    private Map<String, ErrorPage> errorPages(Node f) {
        Node es = f.child("errors");
        Map<String, ErrorPage> out = new TreeMap<>();
        if (es == null) {
            return out;
        }
        es.read = true;
        for (Node e : es.children()) {
            if (e.segment.isEmpty()) {
                e.markAllRead();
                continue;
            }
            e.read = true;
            out.put(e.segment, new ErrorPage(e.segment, list(e, "status"), string(e, "backend"),
                    string(e, "query")));
        }
        return out;
    }

    private RateLimit rateLimit(Node f) {
        Node r = f.child("ratelimit");
        if (r == null) {
            return null;
        }
        r.read = true;
        String extractor = string(r, "extractorFunc");
        Map<String, RateLimit.RateSet> sets = new TreeMap<>();
        Node rs = r.child("rateset");
        if (rs != null) {
            rs.read = true;
            for (Node s : rs.children()) {
                s.read = true;
                if (s.segment.isEmpty()) {
                    continue;
                }
                Duration period = duration(s, "period");
                Long average = integer(s, "average", 0, Long.MAX_VALUE);
                Long burst = integer(s, "burst", 0, Long.MAX_VALUE);
                sets.put(s.segment, new RateLimit.RateSet(period, average == null ? 0 : average,
                        burst == null ? 0 : burst));
            }
        }
        return extractor == null ? null : new RateLimit(extractor, sets);
    }

    private Headers headers(Node f) {
        Node h = f.child("headers");
        if (h == null) {
            return null;
        }
        h.read = true;
        return new Headers(headerMap(h, "customRequestHeaders"), headerMap(h, "customResponseHeaders"),
                headerMap(h, "SSLProxyHeaders"), list(h, "allowedHosts"), list(h, "hostsProxyHeaders"),
                isTrue(h, "SSLRedirect"), isTrue(h, "SSLTemporaryRedirect"), orEmpty(string(h, "SSLHost")),
                isTrue(h, "SSLForceHost"), orZero(integer(h, "STSSeconds", 0, Long.MAX_VALUE)),
                isTrue(h, "STSIncludeSubdomains"), isTrue(h, "STSPreload"), isTrue(h, "forceSTSHeader"),
                isTrue(h, "frameDeny"), orEmpty(string(h, "customFrameOptionsValue")),
                isTrue(h, "contentTypeNosniff"), isTrue(h, "browserXSSFilter"),
                orEmpty(string(h, "customBrowserXSSValue")), orEmpty(string(h, "contentSecurityPolicy")),
                orEmpty(string(h, "publicKey")), orEmpty(string(h, "referrerPolicy")), isTrue(h, "isDevelopment"),
                Map.of());
    }

    // ---- backends -----------------------------------------------------------------------------------------------

    private Backend backend(Node b) {
        b.read = b.read || !b.hasValue() || b.value.isEmpty();
        Map<String, Server> servers = new TreeMap<>();
        Node ss = b.child("servers");
        if (ss != null) {
            ss.read = true;
            for (Node s : ss.children()) {
                if (s.segment.isEmpty()) {
                    s.markAllRead();
                    continue;
                }
                s.read = true;
                Server server = server(b, s);
                if (server != null) {
                    servers.put(s.segment, server);
                }
            }
        }
        if (servers.isEmpty() && errors.isEmpty()) {
            warn(b, "no servers: every request to this backend is answered 503");
        }
        LoadBalancer lb = loadBalancer(b);
        CircuitBreaker breaker = null;
        Node cb = b.child("circuitBreaker");
        if (cb != null) {
            cb.read = true;
            Node e = cb.child("expression");
            String expr = e == null ? null : value(e);
            if (expr != null && !expr.isBlank()) {
                breaker = new CircuitBreaker(expr.strip(), null, Map.of(), origin(e));
            }
        }
        HealthCheck healthCheck = healthCheck(b);
        MaxConn maxConn = null;
        Node mc = b.child("maxConn");
        if (mc != null) {
            mc.read = true;
            Long amount = integer(mc, "amount", 0, Long.MAX_VALUE);
            String extractor = string(mc, "extractorFunc");
            if (extractor != null && !extractor.equals("client.ip") && !extractor.equals("request.host")
                    && !(extractor.startsWith("request.header.") && extractor.length() > 15)) {
                error(mc.child("extractorFunc"), "\"" + extractor + "\" is not an extractor: expected client.ip, "
                        + "request.host or request.header.NAME");
            }
            if (amount != null) {
                // Traefik v1.7's default extractor for a KV maxconn is request.host
                maxConn = new MaxConn(amount, extractor == null ? "request.host" : extractor);
            }
        }
        Buffering buffering = null;
        Node bu = b.child("buffering");
        if (bu != null) {
            bu.read = true;
            buffering = new Buffering(orZero(integer(bu, "maxRequestBodyBytes", 0, Long.MAX_VALUE)),
                    orZero(integer(bu, "memRequestBodyBytes", 0, Long.MAX_VALUE)),
                    orZero(integer(bu, "maxResponseBodyBytes", 0, Long.MAX_VALUE)),
                    orZero(integer(bu, "memResponseBodyBytes", 0, Long.MAX_VALUE)), string(bu, "retryExpression"));
        }
        ResponseForwarding rf = null;
        Node rfn = b.child("responseForwarding");
        if (rfn != null) {
            rfn.read = true;
            Duration flush = duration(rfn, "flushInterval");
            rf = flush == null ? null : new ResponseForwarding(flush);
        }
        for (String notBuilt : List.of("healthCheck", "maxConn", "buffering", "responseForwarding")) {
            Node n = b.child(notBuilt);
            if (n != null) {
                warn(n, "accepted, not built yet: this backend runs without it");
            }
        }
        return new Backend(b.segment, servers, lb, breaker, healthCheck, maxConn, buffering, rf, origin(b));
    }

    private Server server(Node b, Node s) {
        Node u = s.child("url");
        String url = u == null ? null : value(u);
        Long weight = integer(s, "weight", 0, Integer.MAX_VALUE);
        if (url == null || url.isBlank()) {
            // Traefik v1 skipped a server without url; a half-written server is an error here, named.
            error(u == null ? s : u, "server '" + s.segment + "' of backend '" + b.segment + "' has no url: "
                    + "expected for example \"http://10.0.0.1:80\" at " + s.key + "/url");
            return null;
        }
        URI uri = serverUrl(u, url.strip());
        return uri == null ? null : new Server(s.segment, uri, weight == null ? 1 : weight.intValue(), origin(u));
    }

    private URI serverUrl(Node n, String url) {
        if (!url.contains("://")) {
            error(n, "\"" + url + "\" is not an absolute URL: expected scheme://host:port with scheme http, https or "
                    + "h2c, such as \"http://10.0.0.1:8080\"");
            return null;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            error(n, "\"" + url + "\" is not a valid URL (" + e.getReason() + "): expected for example "
                    + "\"http://10.0.0.1:8080\"");
            return null;
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null || !SERVER_SCHEMES.contains(scheme)) {
            error(n, "\"" + url + "\" has " + (scheme == null ? "no scheme" : "scheme '" + uri.getScheme() + "'")
                    + ": expected an absolute URL with scheme http, https or h2c, such as \"http://10.0.0.1:8080\"");
            return null;
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            error(n, "\"" + url + "\" has no valid host: expected for example \"http://10.0.0.1:8080\"");
            return null;
        }
        if (uri.getPort() > 65535) {
            error(n, "\"" + url + "\": port " + uri.getPort() + " is out of range (1-65535)");
            return null;
        }
        return uri;
    }

    private LoadBalancer loadBalancer(Node b) {
        Node lb = b.child("loadBalancer");
        if (lb == null) {
            return LoadBalancer.DEFAULT;
        }
        lb.read = true;
        String method = string(lb, "method");
        if (method != null && !method.matches("[A-Za-z0-9_.-]+")) {
            error(lb.child("method"), "\"" + method + "\" is not a balancer name: expected wrr, drr or a plugin's name");
            method = null;
        }
        Boolean sticky = bool(lb, "sticky");
        if (sticky != null) {
            warn(lb.child("sticky"), "deprecated since Traefik v1.5: use " + lb.key + "/stickiness = true");
            warn(lb.child("sticky"), "accepted, not built yet: sticky sessions are off");
        }
        LoadBalancer.Stickiness stickiness = null;
        Node st = lb.child("stickiness");
        if (st != null) {
            Boolean on = st.hasValue() ? boolValue(st) : null;
            String cookieName = string(st, "cookieName");
            boolean secure = isTrue(st, "secure");
            boolean httpOnly = isTrue(st, "httpOnly");
            String sameSite = string(st, "sameSite");
            st.read = true;
            // As Traefik v1.7: stickiness applies when the stickiness key itself is true.
            if (Boolean.TRUE.equals(on)) {
                if (cookieName != null && !cookieName.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                    error(st.child("cookieName"), "'" + cookieName + "' is not a valid cookie name (RFC 6265 token)");
                }
                stickiness = new LoadBalancer.Stickiness(cookieName, secure, httpOnly,
                        sameSite == null ? null : sameSite.toLowerCase(Locale.ROOT));
                warn(st, "accepted, not built yet: sticky sessions are off");
            }
        }
        return new LoadBalancer(method, sticky != null && sticky, stickiness, Map.of());
    }

    private HealthCheck healthCheck(Node b) {
        Node h = b.child("healthCheck");
        if (h == null) {
            return null;
        }
        h.read = true;
        String path = string(h, "path");
        Duration interval = duration(h, "interval");
        Duration timeout = duration(h, "timeout");
        Long port = integer(h, "port", 0, 65535);
        String scheme = string(h, "scheme");
        if (scheme != null && !Set.of("http", "https").contains(scheme.toLowerCase(Locale.ROOT))) {
            error(h.child("scheme"), "\"" + scheme + "\" is not http or https");
        }
        String hostname = string(h, "hostname");
        Map<String, String> headers = headerMap(h, "headers");
        if (path == null) {
            return null;
        }
        if (!path.startsWith("/")) {
            error(h.child("path"), "\"" + path + "\" does not start with '/'");
        }
        return new HealthCheck(path, interval, timeout, port == null ? 0 : port.intValue(), scheme, hostname,
                headers, 1, 1);
    }

    // ---- values -------------------------------------------------------------------------------------------------

    /** The value at {@code path} below {@code parent} (marked read), or null when absent or empty (Traefik's default). */
    private String string(Node parent, String path) {
        Node n = parent.at(path);
        return n == null ? null : value(n);
    }

    private static String value(Node n) {
        n.read = true;
        return n.value == null || n.value.isEmpty() ? null : n.value;
    }

    private Boolean bool(Node parent, String path) {
        Node n = parent.at(path);
        return n == null ? null : boolValue(n);
    }

    private Boolean boolValue(Node n) {
        String v = value(n);
        if (v == null) {
            return null;
        }
        Boolean b = GoValues.parseBool(v);
        if (b == null) {
            error(n, "\"" + v + "\" is not a boolean: expected true or false");
        }
        return b;
    }

    private boolean isTrue(Node parent, String path) {
        return Boolean.TRUE.equals(bool(parent, path));
    }

    private Long integer(Node parent, String path, long min, long max) {
        Node n = parent.at(path);
        String v = n == null ? null : value(n);
        if (v == null) {
            return null;
        }
        Long l = GoValues.parseLong(v, min, max);
        if (l == null) {
            error(n, "\"" + v + "\" is not an integer" + (min == 0 ? " of 0 or more" : "")
                    + (max < Long.MAX_VALUE ? " up to " + max : ""));
        }
        return l;
    }

    private Duration duration(Node parent, String path) {
        Node n = parent.at(path);
        String v = n == null ? null : value(n);
        if (v == null) {
            return null;
        }
        Duration d = GoDuration.parse(v);
        if (d == null || d.isNegative()) {
            error(n, "\"" + v + "\" is not a duration: expected for example \"10s\", \"100ms\" or a number of seconds");
        }
        return d;
    }

    /** A list: {@code "a, b"} in the key itself, or sub-keys {@code key/0}, {@code key/1} (Traefik's getList). */
    private List<String> list(Node parent, String path) {
        Node n = parent.at(path);
        if (n == null) {
            return List.of();
        }
        String v = value(n);
        if (v != null) {
            List<String> items = GoValues.splitList(v);
            if (!items.isEmpty()) {
                n.markAllRead();
                return items;
            }
        }
        List<String> out = new ArrayList<>();
        for (Node c : n.children()) {
            String item = value(c);
            c.markAllRead();
            if (item != null) {
                out.add(item.strip());
            }
        }
        return out;
    }

    /** Sub-keys as header names (canonicalized as Go's http.CanonicalHeaderKey) to values. */
    private Map<String, String> headerMap(Node parent, String path) {
        Node n = parent.at(path);
        if (n == null) {
            return Map.of();
        }
        n.read = true;
        Map<String, String> out = new TreeMap<>();
        for (Node c : n.children()) {
            c.markAllRead();
            if (c.segment.isEmpty()) {
                continue;
            }
            String name = GoValues.canonicalHeaderKey(c.segment);
            String v = c.value == null ? "" : c.value;
            if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                error(c, "'" + c.segment + "' is not a valid header name (RFC 9110 token characters only)");
            } else if (v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\0') >= 0) {
                error(c, "a header value must not contain CR, LF or NUL");
            } else {
                out.put(name, v);
            }
        }
        return out;
    }

    // ---- problems -----------------------------------------------------------------------------------------------

    private Origin origin(Node n) {
        return new Origin("etcd:" + n.key, 0);
    }

    private void error(Node n, String message) {
        errors.add(new ConfigProblem(origin(n), n.dotted(), message));
    }

    private void warn(Node n, String message) {
        warnings.add(new ConfigProblem(origin(n), n.dotted(), message));
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static long orZero(Long l) {
        return l == null ? 0 : l;
    }
}
