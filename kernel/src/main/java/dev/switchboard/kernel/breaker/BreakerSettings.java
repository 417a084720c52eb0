package dev.switchboard.kernel.breaker;

import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.config.ConfigProblem;
import dev.switchboard.spi.model.Origin;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A breaker's timings and fallback, from the extension keys of {@code [backends.B.circuitBreaker]}
 * ({@link dev.switchboard.spi.model.CircuitBreaker#options()}); the defaults are Traefik v1's (oxy's) fixed values.
 * Documented in {@code docs/circuit-breaker.md}.
 *
 * @param fallbackDuration how long the breaker stays Tripped (default 10 s)
 * @param recoveryDuration how long the Recovering ramp lasts (default 10 s)
 * @param checkPeriod      the minimum gap between two evaluations of the condition (default 100 ms)
 * @param window           the rolling window the metrics cover, cut in 10 buckets (default 10 s)
 * @param minRequests      requests needed in the window before the condition may trip the breaker (default 0: as
 *                         Traefik v1, the very first request can trip it)
 * @param fallback         what a client gets while the breaker holds it back (default 503 "Service Unavailable")
 */
public record BreakerSettings(Duration fallbackDuration, Duration recoveryDuration, Duration checkPeriod,
                              Duration window, long minRequests, Fallback fallback) {

    public static final String FALLBACK_DURATION = "fallbackDuration";
    public static final String RECOVERY_DURATION = "recoveryDuration";
    public static final String CHECK_PERIOD = "checkPeriod";
    public static final String WINDOW = "window";
    public static final String MIN_REQUESTS = "minRequests";
    public static final String FALLBACK_STATUS = "fallbackStatus";
    public static final String FALLBACK_BODY = "fallbackBody";
    public static final String FALLBACK_REDIRECT = "fallbackRedirect";

    /** Every key this record understands. */
    public static final Set<String> KEYS = Set.of(FALLBACK_DURATION, RECOVERY_DURATION, CHECK_PERIOD, WINDOW,
            MIN_REQUESTS, FALLBACK_STATUS, FALLBACK_BODY, FALLBACK_REDIRECT);

    /** Buckets in the rolling window (oxy: 10 × 1 s). */
    public static final int WINDOW_BUCKETS = 10;

    private static final Duration MAX_DURATION = Duration.ofHours(24);
    private static final Duration MIN_WINDOW = Duration.ofSeconds(1);
    private static final Duration MAX_WINDOW = Duration.ofMinutes(10);
    private static final int MAX_BODY_CHARS = 64 * 1024;

    /** oxy's (and Traefik v1's) values. */
    public static final BreakerSettings DEFAULTS = new BreakerSettings(Duration.ofSeconds(10), Duration.ofSeconds(10),
            Duration.ofMillis(100), Duration.ofSeconds(10), 0, Fallback.DEFAULT);

    public BreakerSettings {
        java.util.Objects.requireNonNull(fallbackDuration, "fallbackDuration");
        java.util.Objects.requireNonNull(recoveryDuration, "recoveryDuration");
        java.util.Objects.requireNonNull(checkPeriod, "checkPeriod");
        java.util.Objects.requireNonNull(window, "window");
        java.util.Objects.requireNonNull(fallback, "fallback");
        if (fallbackDuration.isNegative() || fallbackDuration.isZero() || recoveryDuration.isNegative()
                || recoveryDuration.isZero() || checkPeriod.isNegative() || checkPeriod.isZero() || minRequests < 0
                || window.toNanos() % WINDOW_BUCKETS != 0 || window.compareTo(MIN_WINDOW) < 0) {
            throw new IllegalArgumentException("invalid breaker settings (use parse for messages): " + fallbackDuration
                    + ", " + recoveryDuration + ", " + checkPeriod + ", " + window + ", " + minRequests);
        }
    }

    /** The duration of one bucket of the window. */
    public Duration bucket() {
        return window.dividedBy(WINDOW_BUCKETS);
    }

    /**
     * What a client gets instead of a server's answer while the breaker is Tripped, or denied while Recovering.
     *
     * @param status   the status (302 for a redirect)
     * @param body     the body, sent as {@code text/plain; charset=utf-8}
     * @param location the {@code Location} of a redirect, or null
     */
    public record Fallback(int status, String body, String location) {
        /** oxy/Traefik v1: 503 with the body "Service Unavailable". */
        public static final Fallback DEFAULT = new Fallback(503, "Service Unavailable", null);

        /** oxy's RedirectFallback: 302 to {@code location}, body "Found". */
        public static Fallback redirect(String location) {
            return new Fallback(302, "Found", location);
        }
    }

    /**
     * Reads and validates the options. Every problem is reported (not only the first), each naming the key and what
     * was expected.
     *
     * @param options   the extension keys, values as the provider read them (strings, numbers)
     * @param keyPrefix the dotted key of the section, e.g. {@code backends.api.circuitBreaker}
     * @param origin    where the section was written
     */
    public static BreakerSettings parse(Map<String, ?> options, String keyPrefix, Origin origin)
            throws ConfigException {
        List<ConfigProblem> problems = new ArrayList<>();
        Problems p = (key, message) -> problems.add(new ConfigProblem(origin, keyPrefix + "." + key, message));
        for (String key : new TreeSet<>(options.keySet())) {
            if (!KEYS.contains(key)) {
                p.add(key, "unknown circuit-breaker option; expected one of " + new TreeSet<>(KEYS));
            }
        }
        Duration fallbackDuration = duration(options, FALLBACK_DURATION, DEFAULTS.fallbackDuration, p);
        Duration recoveryDuration = duration(options, RECOVERY_DURATION, DEFAULTS.recoveryDuration, p);
        Duration checkPeriod = duration(options, CHECK_PERIOD, DEFAULTS.checkPeriod, p);
        Duration window = duration(options, WINDOW, DEFAULTS.window, p);
        if (options.containsKey(WINDOW) && window != null) {
            if (window.compareTo(MIN_WINDOW) < 0 || window.compareTo(MAX_WINDOW) > 0
                    || window.toNanos() % (WINDOW_BUCKETS * 1_000_000L) != 0) {
                p.add(WINDOW, "expected a duration from 1s to 10m in whole multiples of 10ms, got "
                        + options.get(WINDOW));
                window = null;
            }
        }
        long minRequests = DEFAULTS.minRequests;
        if (options.containsKey(MIN_REQUESTS)) {
            Long n = integer(options.get(MIN_REQUESTS));
            if (n == null || n < 0) {
                p.add(MIN_REQUESTS, "expected a whole number of requests >= 0, got " + options.get(MIN_REQUESTS));
            } else {
                minRequests = n;
            }
        }
        Fallback fallback = fallback(options, p);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new BreakerSettings(fallbackDuration, recoveryDuration, checkPeriod, window, minRequests, fallback);
    }

    @FunctionalInterface
    private interface Problems {
        void add(String key, String message);
    }

    private static Fallback fallback(Map<String, ?> options, Problems p) {
        boolean hasStatus = options.containsKey(FALLBACK_STATUS);
        boolean hasBody = options.containsKey(FALLBACK_BODY);
        if (options.containsKey(FALLBACK_REDIRECT)) {
            if (hasStatus || hasBody) {
                p.add(FALLBACK_REDIRECT, "a redirect fallback answers 302 \"Found\"; do not set "
                        + FALLBACK_STATUS + " or " + FALLBACK_BODY + " with it");
                return null;
            }
            Object value = options.get(FALLBACK_REDIRECT);
            String location = value instanceof String s ? s.trim() : null;
            if (location == null || !isHttpUrl(location)) {
                p.add(FALLBACK_REDIRECT, "expected an absolute http:// or https:// URL without spaces or control "
                        + "characters, got " + value);
                return null;
            }
            return Fallback.redirect(location);
        }
        int status = Fallback.DEFAULT.status();
        if (hasStatus) {
            Long n = integer(options.get(FALLBACK_STATUS));
            if (n == null || n < 200 || n > 599 || (n >= 300 && n < 400)) {
                p.add(FALLBACK_STATUS, "expected a status from 200 to 599 other than 3xx (use " + FALLBACK_REDIRECT
                        + " for a redirect), got " + options.get(FALLBACK_STATUS));
            } else {
                status = n.intValue();
            }
        }
        String body = Fallback.DEFAULT.body();
        if (hasBody) {
            Object value = options.get(FALLBACK_BODY);
            if (!(value instanceof String s) || s.length() > MAX_BODY_CHARS) {
                p.add(FALLBACK_BODY, "expected a string of at most " + MAX_BODY_CHARS + " characters");
            } else {
                body = s;
            }
        }
        return new Fallback(status, body, null);
    }

    private static boolean isHttpUrl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                return false; // no header injection through Location
            }
        }
        try {
            URI uri = new URI(s);
            String scheme = uri.getScheme();
            return uri.getHost() != null && scheme != null
                    && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static Long integer(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof String s && s.trim().matches("[0-9]{1,15}")) {
            return Long.parseLong(s.trim());
        }
        return null;
    }

    private static Duration duration(Map<String, ?> options, String key, Duration dflt, Problems p) {
        if (!options.containsKey(key)) {
            return dflt;
        }
        Object value = options.get(key);
        Duration d = null;
        Long seconds = integer(value);
        if (seconds != null) {
            d = seconds <= MAX_DURATION.toSeconds() ? Duration.ofSeconds(seconds) : null; // bare integer: seconds
        } else if (value instanceof String s) {
            d = parseGoDuration(s.trim());
        }
        if (d == null || d.isZero() || d.isNegative() || d.compareTo(MAX_DURATION) > 0) {
            p.add(key, "expected a positive duration up to 24h such as \"10s\", \"1m30s\", \"100ms\" or a whole "
                    + "number of seconds, got " + value);
            return null;
        }
        return d;
    }

    /** A duration as Go prints it and as it is written in the configuration: {@code 10s}, {@code 100ms}, {@code 1m30s}. */
    public static String format(Duration d) {
        long nanos = d.toNanos();
        if (nanos == 0) {
            return "0s";
        }
        if (nanos < 1_000L) {
            return nanos + "ns";
        }
        if (nanos < 1_000_000L) {
            return trim(nanos / 1e3) + "µs";
        }
        if (nanos < 1_000_000_000L) {
            return trim(nanos / 1e6) + "ms";
        }
        StringBuilder sb = new StringBuilder();
        long hours = d.toHours();
        long minutes = d.toMinutesPart();
        if (hours > 0) {
            sb.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            sb.append(minutes).append('m');
        }
        return sb.append(trim(d.toSecondsPart() + d.toNanosPart() / 1e9)).append('s').toString();
    }

    private static String trim(double value) {
        String s = java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
        return s;
    }

    /**
     * Go's {@code time.ParseDuration} for the non-negative forms: a sequence of decimal numbers, each with a unit
     * ({@code ns}, {@code us}, {@code µs}, {@code ms}, {@code s}, {@code m}, {@code h}), e.g. {@code 1h2m0.5s};
     * {@code 0} alone. Null if malformed or beyond 24 h.
     */
    static Duration parseGoDuration(String s) {
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.isEmpty() || s.length() > 64) {
            return null;
        }
        int i = 0;
        double totalNanos = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            String number = s.substring(start, i);
            if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
                return null;
            }
            int unitStart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            long unit = switch (s.substring(unitStart, i)) { // case-sensitive, as Go
                case "ns" -> 1L;
                case "us", "µs", "μs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                default -> -1L;
            };
            if (unit < 0) {
                return null;
            }
            totalNanos += Double.parseDouble(number) * unit;
            if (totalNanos > MAX_DURATION.toNanos()) {
                return null;
            }
        }
        return Duration.ofNanos(Math.round(totalNanos));
    }
}
