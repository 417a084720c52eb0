package dev.switchboard.kernel.balance;

import dev.switchboard.kernel.routing.Upstream;
import dev.switchboard.spi.http.RequestView;
import dev.switchboard.spi.model.LoadBalancer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One backend's sticky-session cookie (reference §5.2): which server a request's cookie names, and the
 * {@code Set-Cookie} value that pins a client to a server.
 *
 * <p>Unlike Traefik v1 (oxy 1.2 wrote the server URL in clear), a cookie value is a keyed hash: the first 16 hex
 * digits of HMAC-SHA256 over the backend name and the server's {@code scheme://host:port}, keyed by a secret drawn
 * once per process. Values are therefore stable across reloads within a process (a client stays pinned when the
 * configuration changes around its server) and reveal nothing about the server; after a restart, cookies no longer
 * match and clients are re-balanced once.
 *
 * <p>Immutable; built once per configuration generation; {@link #stuck} runs on the event loops and allocates
 * nothing but the {@code Cookie} field's string (the field is scanned in place, values compared as regions).
 */
public final class StickyCookie {
    /** The cookie name of the deprecated {@code sticky = true} (reference §2). */
    public static final String LEGACY_NAME = "_TRAEFIK_BACKEND";
    /** Hex digits of a cookie value: 64 bits of the HMAC. */
    static final int VALUE_LENGTH = 16;
    private static final byte[] SECRET = new byte[32];

    static {
        new SecureRandom().nextBytes(SECRET);
    }

    private final String name;
    private final List<Upstream> upstreams;
    private final String[] values;
    private final IdentityHashMap<Upstream, String> setCookies = new IdentityHashMap<>();

    private StickyCookie(String name, String attributes, String backend, List<Upstream> upstreams) {
        this.name = name;
        this.upstreams = List.copyOf(upstreams);
        this.values = new String[upstreams.size()];
        for (int i = 0; i < values.length; i++) {
            Upstream u = upstreams.get(i);
            values[i] = valueFor(backend, u.poolKey());
            setCookies.put(u, name + "=" + values[i] + "; Path=/" + attributes);
        }
    }

    /** The cookie of backend {@code backend} as its load-balancer section asks, or null when not sticky. */
    public static StickyCookie of(String backend, LoadBalancer lb, List<Upstream> upstreams) {
        LoadBalancer.Stickiness s = lb.stickiness();
        if (s == null && !lb.sticky()) {
            return null;
        }
        if (s == null) {
            return new StickyCookie(LEGACY_NAME, "", backend, upstreams);
        }
        String name = s.cookieName() == null || s.cookieName().isEmpty() ? derivedName(backend) : s.cookieName();
        StringBuilder attributes = new StringBuilder();
        if (s.secure()) {
            attributes.append("; Secure");
        }
        if (s.httpOnly()) {
            attributes.append("; HttpOnly");
        }
        if (s.sameSite() != null) {
            switch (s.sameSite().toLowerCase(Locale.ROOT)) {
                case "none" -> attributes.append("; SameSite=None");
                case "lax" -> attributes.append("; SameSite=Lax");
                case "strict" -> attributes.append("; SameSite=Strict");
                default -> {
                    // not a SameSite value: no attribute, as in Traefik v1 (the provider warned)
                }
            }
        }
        return new StickyCookie(name, attributes.toString(), backend, upstreams);
    }

    /**
     * Traefik v1's default cookie name ({@code cookie.GenerateName}): {@code "_"} and the first 5 hex digits of
     * sha1({@code "_TRAEFIK_BACKEND_" + backend}).
     */
    public static String derivedName(String backend) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest(("_TRAEFIK_BACKEND_" + backend).getBytes(StandardCharsets.UTF_8));
            return ("_" + HexFormat.of().formatHex(digest)).substring(0, 6);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 is required of every JDK", e);
        }
    }

    /** The cookie value naming server {@code serverKey} ({@code scheme://host:port}) of {@code backend}. */
    static String valueFor(String backend, String serverKey) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
            byte[] h = mac.doFinal((backend + "\n" + serverKey).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, VALUE_LENGTH / 2);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
        }
    }

    public String name() {
        return name;
    }

    /** The {@code Set-Cookie} field value that pins a client to {@code upstream}, or null if not one of ours. */
    public String setCookie(Upstream upstream) {
        return setCookies.get(upstream);
    }

    /**
     * The server the request's cookie names, if that server is one of this backend's and {@code health} has it in
     * rotation; else null (the request is balanced and the cookie replaced). Every {@code Cookie} field is scanned.
     */
    public Upstream stuck(RequestView request, BackendHealth health) {
        String field = request.header("Cookie");
        if (field == null) {
            return null;
        }
        int i = find(field, name);
        if (i < 0) {
            List<String> all = request.headers("Cookie");
            for (int k = 1; k < all.size() && i < 0; k++) {
                field = all.get(k);
                i = find(field, name);
            }
            if (i < 0) {
                return null;
            }
        }
        int end = valueEnd(field, i);
        int start = i;
        if (end - start >= 2 && field.charAt(start) == '"' && field.charAt(end - 1) == '"') {
            start++; // RFC 6265 §4.1.1: a cookie value may be quoted
            end--;
        }
        if (end - start != VALUE_LENGTH) {
            return null;
        }
        for (int s = 0; s < values.length; s++) {
            if (field.regionMatches(start, values[s], 0, VALUE_LENGTH)) {
                Upstream u = upstreams.get(s);
                return health == null || health.inRotation(s) ? u : null;
            }
        }
        return null;
    }

    /** Start of the value of cookie {@code name} in a {@code Cookie} field ({@code a=1; b=2}), or -1. */
    static int find(String field, String name) {
        int n = field.length();
        int i = 0;
        while (i < n) {
            while (i < n && (field.charAt(i) == ' ' || field.charAt(i) == '\t' || field.charAt(i) == ';')) {
                i++;
            }
            int eq = -1;
            int j = i;
            while (j < n && field.charAt(j) != ';') {
                if (eq < 0 && field.charAt(j) == '=') {
                    eq = j;
                }
                j++;
            }
            if (eq >= 0) {
                int nameEnd = eq;
                while (nameEnd > i && (field.charAt(nameEnd - 1) == ' ' || field.charAt(nameEnd - 1) == '\t')) {
                    nameEnd--;
                }
                if (nameEnd - i == name.length() && field.regionMatches(i, name, 0, name.length())) {
                    int v = eq + 1;
                    while (v < j && (field.charAt(v) == ' ' || field.charAt(v) == '\t')) {
                        v++;
                    }
                    return v;
                }
            }
            i = j + 1;
        }
        return -1;
    }

    private static int valueEnd(String field, int start) {
        int end = field.indexOf(';', start);
        if (end < 0) {
            end = field.length();
        }
        while (end > start && (field.charAt(end - 1) == ' ' || field.charAt(end - 1) == '\t')) {
            end--;
        }
        return end;
    }
}
