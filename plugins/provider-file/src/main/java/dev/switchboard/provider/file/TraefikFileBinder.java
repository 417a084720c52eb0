package dev.switchboard.provider.file;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.model.Auth;
import dev.switchboard.spi.model.Backend;
import dev.switchboard.spi.model.Buffering;
import dev.switchboard.spi.model.CircuitBreaker;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Binds one parsed TOML file to the model: the whole {@code [frontends]}/{@code [backends]} schema of Traefik v1
 * (types/types.go @ v1.7) plus {@code [[tls]]}. Every problem is recorded with file, line and key; binding never
 * stops at the first. References to backends are returned rather than checked, because in directory mode a
 * frontend may name a backend defined in another file.
 */
final class TraefikFileBinder {

    /** A backend named by a frontend or error page, checked once every file is bound. */
    record BackendReference(String backend, Origin origin, String key) {
    }

    /** What one file defines. */
    record Bound(Map<String, Frontend> frontends, Map<String, Backend> backends,
                 List<BackendReference> references) {
    }

    static final Set<String> ROOT_KEYS = Set.of("frontends", "backends", "tls");
    static final Set<String> FRONTEND_KEYS = Set.of("entryPoints", "backend", "passHostHeader", "priority", "routes",
            "headers", "redirect", "errors", "ratelimit", "auth", "whiteList", "whitelistSourceRange", "basicAuth",
            "passTLSCert", "passTLSClientCert");
    static final Set<String> ROUTE_KEYS = Set.of("rule");
    static final Set<String> HEADER_KEYS = Set.of("customRequestHeaders", "customResponseHeaders", "allowedHosts",
            "hostsProxyHeaders", "SSLRedirect", "SSLTemporaryRedirect", "SSLHost", "SSLForceHost", "SSLProxyHeaders",
            "STSSeconds", "STSIncludeSubdomains", "STSPreload", "forceSTSHeader", "frameDeny",
            "customFrameOptionsValue", "contentTypeNosniff", "browserXssFilter", "customBrowserXSSValue",
            "contentSecurityPolicy", "publicKey", "referrerPolicy", "isDevelopment");
    static final Set<String> REDIRECT_KEYS = Set.of("entryPoint", "regex", "replacement", "permanent");
    static final Set<String> ERROR_PAGE_KEYS = Set.of("status", "backend", "query");
    static final Set<String> RATE_LIMIT_KEYS = Set.of("extractorFunc", "rateset");
    static final Set<String> RATE_SET_KEYS = Set.of("period", "average", "burst");
    static final Set<String> AUTH_KEYS = Set.of("basic", "digest", "forward", "headerField");
    static final Set<String> BASIC_KEYS = Set.of("users", "usersFile", "removeHeader");
    static final Set<String> FORWARD_KEYS = Set.of("address", "tls", "trustForwardHeader", "authResponseHeaders");
    static final Set<String> CLIENT_TLS_KEYS = Set.of("ca", "caOptional", "cert", "key", "insecureSkipVerify");
    static final Set<String> WHITELIST_KEYS = Set.of("sourceRange", "useXForwardedFor");
    static final Set<String> TLS_CLIENT_CERT_KEYS = Set.of("pem", "infos");
    static final Set<String> CERT_INFOS_KEYS = Set.of("notAfter", "notBefore", "sans", "subject", "issuer");
    static final Set<String> CERT_NAME_KEYS = Set.of("country", "province", "locality", "organization",
            "commonName", "serialNumber", "domainComponent");
    static final Set<String> BACKEND_KEYS = Set.of("servers", "loadBalancer", "circuitBreaker", "healthCheck",
            "maxConn", "buffering", "responseForwarding");
    static final Set<String> SERVER_KEYS = Set.of("url", "weight");
    static final Set<String> LOAD_BALANCER_KEYS = Set.of("method", "sticky", "stickiness");
    static final Set<String> STICKINESS_KEYS = Set.of("cookieName", "secure", "httpOnly", "sameSite");
    static final Set<String> CIRCUIT_BREAKER_KEYS = Set.of("expression", "language");
    static final Set<String> HEALTH_CHECK_KEYS = Set.of("path", "interval", "timeout", "port", "scheme", "hostname",
            "headers", "rise", "fall");
    static final Set<String> MAX_CONN_KEYS = Set.of("amount", "extractorFunc");
    static final Set<String> BUFFERING_KEYS = Set.of("maxRequestBodyBytes", "memRequestBodyBytes",
            "maxResponseBodyBytes", "memResponseBodyBytes", "retryExpression");
    static final Set<String> RESPONSE_FORWARDING_KEYS = Set.of("flushInterval");
    static final Set<String> TLS_KEYS = Set.of("entryPoints", "certificate");
    static final Set<String> CERTIFICATE_KEYS = Set.of("certFile", "keyFile");

    private final List<BackendReference> references = new ArrayList<>();

    private TraefikFileBinder() {
    }

    /**
     * Binds {@code root}. In the main configuration file ({@code mainFile}) the other top-level keys belong to the
     * static configuration and are not this provider's to judge; in a file of its own they are unknown.
     */
    static Bound bind(ObjectNode root, SourceFile file, boolean mainFile, Diagnostics diagnostics) {
        return new TraefikFileBinder().bindRoot(TomlSection.root(root, file, diagnostics), mainFile);
    }

    private Bound bindRoot(TomlSection root, boolean mainFile) {
        Map<String, Frontend> frontends = new LinkedHashMap<>();
        Map<String, TomlSection> fs = root.entries("frontends");
        if (fs != null) {
            fs.forEach((name, s) -> frontends.put(name, frontend(name, s)));
        }
        Map<String, Backend> backends = new LinkedHashMap<>();
        Map<String, TomlSection> bs = root.entries("backends");
        if (bs != null) {
            bs.forEach((name, s) -> backends.put(name, backend(name, s)));
        }
        List<TomlSection> tls = root.tableArray("tls");
        if (tls != null) {
            tls.forEach(this::tls);
        }
        if (!mainFile) {
            root.finish(ROOT_KEYS);
        }
        return new Bound(frontends, backends, List.copyOf(references));
    }

    // ---- frontends ----------------------------------------------------------------------------------------------

    private Frontend frontend(String name, TomlSection s) {
        List<String> entryPoints = orEmpty(s.strings("entryPoints"));
        String backend = s.string("backend");
        if (backend == null && !s.has("backend")) {
            s.error("backend is missing: a frontend names the backend it forwards to, e.g. backend = \"backend1\"");
        } else if (backend != null) {
            if (backend.isBlank()) {
                s.error("backend", "is empty: expected the name of a backend");
            } else {
                references.add(new BackendReference(backend, s.originOf(actual(s, "backend")),
                        s.keyOf(actual(s, "backend"))));
            }
        }
        boolean passHostHeader = s.bool("passHostHeader", false);
        Long priority = s.integer("priority", Integer.MIN_VALUE, Integer.MAX_VALUE);

        Map<String, Route> routes = new LinkedHashMap<>();
        Map<String, TomlSection> rs = s.entries("routes");
        if (rs != null) {
            rs.forEach((routeName, r) -> {
                String rule = r.string("rule");
                if (rule == null && !r.has("rule")) {
                    r.error("rule is missing: expected for example rule = \"Host:example.com\"");
                } else if (rule != null && rule.isBlank()) {
                    r.error("rule", "is empty: expected for example rule = \"Host:example.com\"");
                } else if (rule != null) {
                    routes.put(routeName, new Route(routeName, rule, r.originOf(r.actualKey("rule"))));
                }
                r.finish(ROUTE_KEYS);
            });
        }
        if (rs == null || rs.isEmpty()) {
            s.warn("no routes: in Traefik v1 a frontend without routes matches every request");
        }

        Headers headers = optional(s.table("headers"), this::headers);
        Redirect redirect = optional(s.table("redirect"), this::redirect);
        Map<String, ErrorPage> errors = new LinkedHashMap<>();
        Map<String, TomlSection> es = s.entries("errors");
        if (es != null) {
            es.forEach((pageName, e) -> {
                ErrorPage page = errorPage(pageName, e, backend);
                if (page != null) {
                    errors.put(pageName, page);
                }
            });
        }
        RateLimit rateLimit = optional(s.table("ratelimit"), this::rateLimit);
        Auth auth = optional(s.table("auth"), this::auth);
        WhiteList whiteList = optional(s.table("whiteList"), this::whiteList);

        List<String> whitelistSourceRange = s.strings("whitelistSourceRange");
        if (whitelistSourceRange != null) {
            s.warn("whitelistSourceRange", "deprecated in Traefik v1: use [" + s.key()
                    + ".whiteList] sourceRange");
            checkSourceRanges(s, "whitelistSourceRange", whitelistSourceRange);
            if (whiteList != null) {
                s.warn("whitelistSourceRange", "ignored: the whiteList section takes precedence, as in Traefik v1");
            } else if (!whitelistSourceRange.isEmpty()) {
                whiteList = new WhiteList(whitelistSourceRange, false);
            }
        }
        List<String> basicAuth = s.strings("basicAuth");
        if (basicAuth != null) {
            s.warn("basicAuth", "deprecated in Traefik v1: use [" + s.key() + ".auth.basic] users");
            checkUsers(s, "basicAuth", basicAuth, 1);
            if (auth != null && auth.basic() != null) {
                s.error("basicAuth", "written together with auth.basic: write the users once, in auth.basic");
            } else if (!basicAuth.isEmpty()) {
                auth = auth == null
                        ? new Auth(null, new Auth.Basic(basicAuth, null, false), null, null)
                        : new Auth(auth.headerField(), new Auth.Basic(basicAuth, null, false), auth.digest(),
                                auth.forward());
            }
        }
        Boolean passTLSCert = s.bool("passTLSCert");
        if (passTLSCert != null) {
            s.warn("passTLSCert", "deprecated in Traefik v1: use [" + s.key() + ".passTLSClientCert]");
        }
        Map<String, Object> passTLSClientCert = optional(s.table("passTLSClientCert"), this::passTLSClientCert);
        s.finish(FRONTEND_KEYS);
        return new Frontend(name, entryPoints, backend, passHostHeader, priority == null ? 0 : priority.intValue(),
                routes, headers, redirect, errors, rateLimit, auth, whiteList, passTLSCert != null && passTLSCert,
                passTLSClientCert == null ? Map.of() : passTLSClientCert, s.origin());
    }

    private Headers headers(TomlSection h) {
        Map<String, String> request = headerMap(h, "customRequestHeaders");
        Map<String, String> response = headerMap(h, "customResponseHeaders");
        Map<String, String> sslProxy = headerMap(h, "SSLProxyHeaders");
        List<String> allowedHosts = orEmpty(h.strings("allowedHosts"));
        List<String> hostsProxyHeaders = orEmpty(h.strings("hostsProxyHeaders"));
        for (String name : hostsProxyHeaders) {
            problem(h, "hostsProxyHeaders", ValueRules.headerName(name));
        }
        boolean sslRedirect = h.bool("SSLRedirect", false);
        boolean sslTemporaryRedirect = h.bool("SSLTemporaryRedirect", false);
        String sslHost = h.string("SSLHost", "");
        boolean sslForceHost = h.bool("SSLForceHost", false);
        Long stsSeconds = h.integer("STSSeconds", 0, Long.MAX_VALUE);
        boolean stsIncludeSubdomains = h.bool("STSIncludeSubdomains", false);
        boolean stsPreload = h.bool("STSPreload", false);
        boolean forceSTSHeader = h.bool("forceSTSHeader", false);
        boolean frameDeny = h.bool("frameDeny", false);
        String customFrameOptionsValue = h.string("customFrameOptionsValue", "");
        boolean contentTypeNosniff = h.bool("contentTypeNosniff", false);
        boolean browserXssFilter = h.bool("browserXssFilter", false);
        String customBrowserXSSValue = h.string("customBrowserXSSValue", "");
        String contentSecurityPolicy = h.string("contentSecurityPolicy", "");
        String publicKey = h.string("publicKey", "");
        String referrerPolicy = h.string("referrerPolicy", "");
        boolean isDevelopment = h.bool("isDevelopment", false);
        h.finish(HEADER_KEYS);
        return new Headers(request, response, sslProxy, allowedHosts, hostsProxyHeaders, sslRedirect,
                sslTemporaryRedirect, sslHost, sslForceHost, stsSeconds == null ? 0 : stsSeconds,
                stsIncludeSubdomains, stsPreload, forceSTSHeader, frameDeny, customFrameOptionsValue,
                contentTypeNosniff, browserXssFilter, customBrowserXSSValue, contentSecurityPolicy, publicKey,
                referrerPolicy, isDevelopment, Map.of());
    }

    /** A table of header names to values; names must be tokens and values free of CR/LF. */
    private Map<String, String> headerMap(TomlSection s, String name) {
        Map<String, String> map = s.stringMap(name);
        if (map == null) {
            return Map.of();
        }
        String actual = actual(s, name);
        List<Object> tablePath = KeyPaths.child(s.path(), actual);
        map.forEach((header, value) -> {
            List<Object> at = KeyPaths.child(tablePath, header);
            String bad = ValueRules.headerName(header);
            if (bad == null) {
                bad = ValueRules.headerValue(value);
            }
            if (bad != null) {
                problemAt(s, at, bad);
            }
        });
        return map;
    }

    private Redirect redirect(TomlSection r) {
        String entryPoint = r.string("entryPoint");
        String regex = r.string("regex");
        String replacement = r.string("replacement");
        boolean permanent = r.bool("permanent", false);
        r.finish(REDIRECT_KEYS);
        if (isBlank(entryPoint) && (isBlank(regex) || isBlank(replacement))) {
            // Traefik v1 built no redirect then, silently.
            r.warn(isBlank(regex) ? "nothing to redirect to: expected entryPoint = \"https\", or regex and"
                    + " replacement; the section has no effect"
                    : "regex without replacement: expected both, e.g. regex = \"^http://(.*)\" and replacement ="
                    + " \"https://$1\"; the section has no effect");
            return null;
        }
        return new Redirect(emptyToNull(entryPoint), emptyToNull(regex), emptyToNull(replacement), permanent);
    }

    private ErrorPage errorPage(String name, TomlSection e, String frontendBackend) {
        List<String> status = e.strings("status");
        if (status == null && !e.has("status")) {
            e.error("status is missing: expected for example status = [\"500-599\", \"404\"]");
        } else if (status != null) {
            if (status.isEmpty()) {
                e.error("status", "is empty: expected for example [\"500-599\", \"404\"]");
            }
            for (String st : status) {
                problem(e, "status", ValueRules.statusRange(st));
            }
        }
        String backend = e.string("backend");
        if (backend == null && !e.has("backend")) {
            e.error("backend is missing: expected the backend that serves the error pages");
        } else if (backend != null) {
            if (backend.equals(frontendBackend)) {
                e.error("backend", "is the frontend's own backend: Traefik v1 requires the error pages to come"
                        + " from another backend");
            }
            references.add(new BackendReference(backend, e.originOf(actual(e, "backend")),
                    e.keyOf(actual(e, "backend"))));
        }
        String query = e.string("query", "");
        e.finish(ERROR_PAGE_KEYS);
        return status == null || backend == null ? null : new ErrorPage(name, status, backend, query);
    }

    private RateLimit rateLimit(TomlSection r) {
        String extractor = r.string("extractorFunc");
        if (extractor == null && !r.has("extractorFunc")) {
            r.error("extractorFunc is missing: expected client.ip, request.host or request.header.NAME");
        } else if (extractor != null) {
            problem(r, "extractorFunc", ValueRules.extractor(extractor));
        }
        Map<String, RateLimit.RateSet> rates = new LinkedHashMap<>();
        Map<String, TomlSection> sets = r.entries("rateset");
        Map<Duration, String> periods = new HashMap<>();
        if (sets == null || sets.isEmpty()) {
            r.error("no rateset: expected at least one [" + r.key() + ".rateset.NAME] with period, average"
                    + " and burst");
        } else {
            sets.forEach((name, s) -> {
                Duration period = s.duration("period");
                Long average = s.integer("average", 1, Long.MAX_VALUE);
                Long burst = s.integer("burst", 1, Long.MAX_VALUE);
                for (String k : List.of("period", "average", "burst")) {
                    if (!s.has(k)) {
                        s.error(k + " is missing: a rate set needs period, average and burst");
                    }
                }
                if (period != null && period.isZero()) {
                    s.error("period", "is zero: expected a positive duration such as \"10s\"");
                } else if (period != null) {
                    String other = periods.putIfAbsent(period, name);
                    if (other != null) {
                        s.error("period", "the same period as rate set '" + other + "': periods must differ");
                    }
                }
                s.finish(RATE_SET_KEYS);
                if (period != null && average != null && burst != null) {
                    rates.put(name, new RateLimit.RateSet(period, average, burst));
                }
            });
        }
        r.finish(RATE_LIMIT_KEYS);
        return new RateLimit(extractor, rates);
    }

    private Auth auth(TomlSection a) {
        String headerField = a.string("headerField");
        if (headerField != null) {
            problem(a, "headerField", ValueRules.headerName(headerField));
        }
        Auth.Basic basic = optional(a.table("basic"), b -> basic(b, 1));
        Auth.Basic digest = optional(a.table("digest"), b -> basic(b, 2));
        Auth.Forward forward = optional(a.table("forward"), this::forward);
        if (basic == null && digest == null && forward == null) {
            if (!a.has("basic") && !a.has("digest") && !a.has("forward")) {
                a.warn("no authentication method: expected [" + a.key() + ".basic], [" + a.key() + ".digest] or ["
                        + a.key() + ".forward]; the section has no effect");
            }
        } else if ((basic != null ? 1 : 0) + (digest != null ? 1 : 0) + (forward != null ? 1 : 0) > 1) {
            // Traefik v1 used the first of basic, digest, forward and ignored the others.
            String used = basic != null ? "basic" : "digest";
            a.warn("more than one of basic, digest and forward: only " + used + " is used, as in Traefik v1");
            digest = basic != null ? null : digest;
            forward = null;
        }
        a.finish(AUTH_KEYS);
        return basic == null && digest == null && forward == null ? null
                : new Auth(headerField, basic, digest, forward);
    }

    /** {@code basic} ({@code user:hash}) or {@code digest} ({@code user:realm:hash}) users. */
    private Auth.Basic basic(TomlSection b, int colons) {
        List<String> users = orEmpty(b.strings("users"));
        checkUsers(b, "users", users, colons);
        String usersFile = b.string("usersFile");
        boolean removeHeader = b.bool("removeHeader", false);
        if (users.isEmpty() && isBlank(usersFile)) {
            b.error("no users: expected users = [\"name:hash\"] or usersFile = \"path\"");
        }
        b.finish(BASIC_KEYS);
        return new Auth.Basic(users, emptyToNull(usersFile), removeHeader);
    }

    private void checkUsers(TomlSection s, String key, List<String> users, int colons) {
        for (String user : users) {
            if (user.chars().filter(c -> c == ':').count() < colons || user.startsWith(":")) {
                s.error(key, "\"" + user.replaceAll(":.*", ":…") + "\" is not "
                        + (colons == 1 ? "user:hash" : "user:realm:hash"));
            }
        }
    }

    private Auth.Forward forward(TomlSection f) {
        String address = f.string("address");
        if (address == null && !f.has("address")) {
            f.error("address is missing: expected the URL of the authentication server");
        } else if (address != null) {
            String bad = ValueRules.serverUrl(address);
            if (bad == null && address.strip().toLowerCase(Locale.ROOT).startsWith("h2c:")) {
                bad = "\"" + address + "\": expected an http or https URL";
            }
            problem(f, "address", bad);
        }
        TomlSection tls = f.table("tls");
        if (tls != null) {
            tls.string("ca");
            tls.bool("caOptional");
            tls.string("cert");
            tls.string("key");
            tls.bool("insecureSkipVerify");
            tls.finish(CLIENT_TLS_KEYS);
        }
        boolean trust = f.bool("trustForwardHeader", false);
        List<String> responseHeaders = orEmpty(f.strings("authResponseHeaders"));
        for (String h : responseHeaders) {
            problem(f, "authResponseHeaders", ValueRules.headerName(h));
        }
        f.finish(FORWARD_KEYS);
        return new Auth.Forward(address, trust, responseHeaders);
    }

    private WhiteList whiteList(TomlSection w) {
        List<String> ranges = orEmpty(w.strings("sourceRange"));
        checkSourceRanges(w, "sourceRange", ranges);
        boolean useXForwardedFor = w.bool("useXForwardedFor", false);
        w.finish(WHITELIST_KEYS);
        return new WhiteList(ranges, useXForwardedFor);
    }

    private void checkSourceRanges(TomlSection s, String key, List<String> ranges) {
        for (String range : ranges) {
            problem(s, key, ValueRules.sourceRange(range));
        }
    }

    /** {@code passTLSClientCert}: booleans only, kept as a plain tree ({@code pem}, {@code infos.subject...}). */
    private Map<String, Object> passTLSClientCert(TomlSection p) {
        Map<String, Object> out = new LinkedHashMap<>();
        Boolean pem = p.bool("pem");
        if (pem != null) {
            out.put("pem", pem);
        }
        TomlSection infos = p.table("infos");
        if (infos != null) {
            Map<String, Object> infosOut = new LinkedHashMap<>();
            for (String k : List.of("notAfter", "notBefore", "sans")) {
                Boolean b = infos.bool(k);
                if (b != null) {
                    infosOut.put(k, b);
                }
            }
            for (String k : List.of("subject", "issuer")) {
                TomlSection names = infos.table(k);
                if (names != null) {
                    Map<String, Object> namesOut = new LinkedHashMap<>();
                    for (String n : CERT_NAME_KEYS) {
                        Boolean b = names.bool(n);
                        if (b != null) {
                            namesOut.put(n, b);
                        }
                    }
                    names.finish(CERT_NAME_KEYS);
                    infosOut.put(k, Map.copyOf(namesOut));
                }
            }
            infos.finish(CERT_INFOS_KEYS);
            out.put("infos", Map.copyOf(infosOut));
        }
        p.finish(TLS_CLIENT_CERT_KEYS);
        return out;
    }

    // ---- backends ----------------------------------------------------------------------------------------------

    private Backend backend(String name, TomlSection s) {
        Map<String, Server> servers = new LinkedHashMap<>();
        Map<String, TomlSection> ss = s.entries("servers");
        if (ss != null) {
            ss.forEach((serverName, v) -> {
                Server server = server(serverName, v);
                if (server != null) {
                    servers.put(serverName, server);
                }
            });
        }
        if (ss == null || ss.isEmpty()) {
            s.warn("no servers: requests routed to this backend are answered 503, as in Traefik v1");
        }
        LoadBalancer loadBalancer = optional(s.table("loadBalancer"), this::loadBalancer);
        CircuitBreaker circuitBreaker = optional(s.table("circuitBreaker"), this::circuitBreaker);
        HealthCheck healthCheck = optional(s.table("healthCheck"), this::healthCheck);
        MaxConn maxConn = optional(s.table("maxConn"), this::maxConn);
        Buffering buffering = optional(s.table("buffering"), this::buffering);
        ResponseForwarding responseForwarding = optional(s.table("responseForwarding"), r -> {
            Duration flush = r.duration("flushInterval");
            r.finish(RESPONSE_FORWARDING_KEYS);
            return new ResponseForwarding(flush);
        });
        s.finish(BACKEND_KEYS);
        return new Backend(name, servers, loadBalancer, circuitBreaker, healthCheck, maxConn, buffering,
                responseForwarding, s.origin());
    }

    private Server server(String name, TomlSection s) {
        String url = s.string("url");
        Long weight = s.integer("weight", 0, Integer.MAX_VALUE);
        URI uri = null;
        if (url == null && !s.has("url")) {
            s.error("url is missing: expected for example url = \"http://10.0.0.1:8080\"");
        } else if (url != null) {
            String bad = ValueRules.serverUrl(url);
            if (bad != null) {
                s.error("url", bad);
            } else {
                uri = URI.create(url.strip());
                if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")
                        || uri.getRawQuery() != null) {
                    s.warn("url", "the path and query of a server URL are ignored, as in Traefik v1");
                }
            }
        }
        s.finish(SERVER_KEYS);
        // An absent weight is 1; an explicit 0 is kept: the kernel reads it as 1 unless AllowMinWeightZero is set.
        return uri == null ? null : new Server(name, uri, weight == null ? 1 : weight.intValue(), s.origin());
    }

    private LoadBalancer loadBalancer(TomlSection s) {
        String method = s.string("method");
        if (method != null && !method.isBlank() && !method.matches("[A-Za-z0-9_.-]+")) {
            s.error("method", "\"" + method + "\" is not a balancer name: expected wrr, drr or a plugin's name");
        }
        Boolean sticky = s.bool("sticky");
        if (sticky != null) {
            s.warn("sticky", "deprecated in Traefik v1: use [" + s.key() + ".stickiness]");
        }
        LoadBalancer.Stickiness stickiness = optional(s.table("stickiness"), st -> {
            String cookieName = st.string("cookieName");
            if (cookieName != null && !cookieName.isEmpty()) {
                problem(st, "cookieName", ValueRules.cookieName(cookieName));
            }
            boolean secure = st.bool("secure", false);
            boolean httpOnly = st.bool("httpOnly", false);
            String sameSite = st.string("sameSite");
            if (sameSite != null && !sameSite.isEmpty()
                    && !Set.of("none", "lax", "strict").contains(sameSite.toLowerCase(Locale.ROOT))) {
                st.warn("sameSite", "\"" + sameSite + "\" is not none, lax or strict: ignored, the cookie gets no"
                        + " SameSite attribute (as in Traefik v1)");
                sameSite = null;
            }
            st.finish(STICKINESS_KEYS);
            return new LoadBalancer.Stickiness(emptyToNull(cookieName), secure, httpOnly,
                    isBlank(sameSite) ? null : sameSite.toLowerCase(Locale.ROOT));
        });
        Map<String, Object> options = s.remaining(LOAD_BALANCER_KEYS);
        return new LoadBalancer(method, sticky != null && sticky, stickiness, options);
    }

    private CircuitBreaker circuitBreaker(TomlSection s) {
        String expression = s.string("expression");
        String language = s.string("language");
        Map<String, Object> options = s.remaining(CIRCUIT_BREAKER_KEYS);
        if (isBlank(expression)) {
            if (expression != null || !s.has("expression")) {
                s.warn("no expression: the circuit breaker is off, as in Traefik v1");
            }
            return null;
        }
        return new CircuitBreaker(expression, language, options, s.origin());
    }

    private HealthCheck healthCheck(TomlSection s) {
        String path = s.string("path");
        Duration interval = s.duration("interval");
        Duration timeout = s.duration("timeout");
        Long port = s.integer("port", 0, 65535);
        String scheme = s.string("scheme");
        if (scheme != null && !scheme.isEmpty() && !Set.of("http", "https").contains(scheme.toLowerCase(Locale.ROOT))) {
            s.error("scheme", "\"" + scheme + "\" is not http or https");
        }
        String hostname = s.string("hostname");
        Map<String, String> headers = headerMap(s, "headers");
        Long rise = s.integer("rise", 1, 1000);
        Long fall = s.integer("fall", 1, 1000);
        if (interval != null && interval.isZero()) {
            s.error("interval", "is zero: expected a positive duration such as \"10s\"");
        }
        if (timeout != null && timeout.isZero()) {
            s.error("timeout", "is zero: expected a positive duration such as \"5s\"");
        }
        s.finish(HEALTH_CHECK_KEYS);
        if (isBlank(path)) {
            if (path == null && !s.has("path") || path != null) {
                s.warn("no path: the health check is off, as in Traefik v1 (path is required to enable it)");
            }
            return null;
        }
        // A path without '/' is valid: Traefik v1 resolved it against the server URL (url.Parse(path)).
        return new HealthCheck(path, interval, timeout, port == null ? 0 : port.intValue(), emptyToNull(scheme),
                emptyToNull(hostname), headers, rise == null ? 1 : rise.intValue(),
                fall == null ? 1 : fall.intValue());
    }

    private MaxConn maxConn(TomlSection s) {
        Long amount = s.integer("amount", 0, Long.MAX_VALUE);
        String extractor = s.string("extractorFunc");
        if (extractor == null && !s.has("extractorFunc")) {
            if (amount != null && amount > 0) {
                s.error("extractorFunc is missing: expected client.ip, request.host or request.header.NAME");
            }
        } else if (extractor != null) {
            problem(s, "extractorFunc", ValueRules.extractor(extractor));
        }
        s.finish(MAX_CONN_KEYS);
        return new MaxConn(amount == null ? 0 : amount, extractor);
    }

    private Buffering buffering(TomlSection s) {
        long maxRequest = orZero(s.integer("maxRequestBodyBytes", 0, Long.MAX_VALUE));
        long memRequest = orZero(s.integer("memRequestBodyBytes", 0, Long.MAX_VALUE));
        long maxResponse = orZero(s.integer("maxResponseBodyBytes", 0, Long.MAX_VALUE));
        long memResponse = orZero(s.integer("memResponseBodyBytes", 0, Long.MAX_VALUE));
        String retryExpression = s.string("retryExpression");
        s.finish(BUFFERING_KEYS);
        return new Buffering(maxRequest, memRequest, maxResponse, memResponse, emptyToNull(retryExpression));
    }

    // ---- [[tls]] -------------------------------------------------------------------------------------------------

    private void tls(TomlSection t) {
        t.strings("entryPoints");
        TomlSection certificate = t.table("certificate");
        if (certificate == null && !t.has("certificate")) {
            t.error("certificate is missing: expected [tls.certificate] with certFile and keyFile");
        } else if (certificate != null) {
            for (String k : List.of("certFile", "keyFile")) {
                String v = certificate.string(k);
                if (v == null && !certificate.has(k)) {
                    certificate.error(k + " is missing: expected a file path or the PEM content");
                }
            }
            certificate.finish(CERTIFICATE_KEYS);
        }
        t.finish(TLS_KEYS);
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static void problem(TomlSection s, String key, String message) {
        if (message != null) {
            s.error(key, message);
        }
    }

    private static void problemAt(TomlSection s, List<Object> path, String message) {
        s.errorAt(path, message);
    }

    /** The key as the user wrote it (case may differ from the canonical name). */
    private static String actual(TomlSection s, String canonical) {
        return s.actualKey(canonical);
    }

    private static <T> T optional(TomlSection s, Function<TomlSection, T> bind) {
        return s == null ? null : bind.apply(s);
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
