package dev.switchboard.provider.file;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/**
 * Durations as Traefik v1 wrote them: Go's {@code time.ParseDuration} syntax ({@code "10s"}, {@code "1m30s"},
 * {@code "1.5h"}, {@code "100ms"}), or a bare integer meaning seconds (flaeg's {@code Duration.Set}, which Traefik v1
 * used for its duration settings, tries an integer before {@code time.ParseDuration}).
 */
final class GoDuration {

    private static final Map<String, Long> UNIT_NANOS = Map.of(
            "ns", 1L,
            "us", 1_000L,
            "\u00b5s", 1_000L, // U+00B5 micro sign, accepted by Go
            "\u03bcs", 1_000L, // U+03BC Greek small letter mu, accepted by Go
            "ms", 1_000_000L,
            "s", 1_000_000_000L,
            "m", 60_000_000_000L,
            "h", 3_600_000_000_000L);

    private GoDuration() {
    }

    /**
     * Parses a configuration duration: an integer number of seconds, or Go duration syntax.
     *
     * @throws IllegalArgumentException with a message saying what was expected
     */
    static Duration parseSetting(String text) {
        String s = text.strip();
        if (s.matches("[+-]?[0-9]+")) {
            try {
                return Duration.ofSeconds(Long.parseLong(s));
            } catch (NumberFormatException | ArithmeticException e) {
                throw new IllegalArgumentException("\"" + text + "\" is too large a number of seconds");
            }
        }
        return parse(text);
    }

    /**
     * Exactly Go's {@code time.ParseDuration}: a possibly signed sequence of decimal numbers, each with optional
     * fraction and a unit suffix (ns, us, µs, ms, s, m, h); {@code "0"} alone needs no unit.
     */
    static Duration parse(String text) {
        String s = text;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.isEmpty()) {
            throw invalid(text, "it is empty");
        }
        BigDecimal total = BigDecimal.ZERO;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
                i++;
            }
            boolean hasInteger = i > start;
            if (i < s.length() && s.charAt(i) == '.') {
                i++;
                int fractionStart = i;
                while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                    i++;
                }
                if (!hasInteger && i == fractionStart) {
                    throw invalid(text, "a number is expected before each unit");
                }
            } else if (!hasInteger) {
                throw invalid(text, "a number is expected before each unit");
            }
            BigDecimal number = new BigDecimal(s.substring(start, i).endsWith(".")
                    ? s.substring(start, i - 1) : s.substring(start, i).startsWith(".")
                    ? "0" + s.substring(start, i) : s.substring(start, i));
            int unitStart = i;
            while (i < s.length() && s.charAt(i) != '.' && !(s.charAt(i) >= '0' && s.charAt(i) <= '9')) {
                i++;
            }
            if (i == unitStart) {
                throw invalid(text, "a unit is missing (ns, us, ms, s, m or h)");
            }
            String unit = s.substring(unitStart, i);
            Long nanos = UNIT_NANOS.get(unit);
            if (nanos == null) {
                throw invalid(text, "unknown unit \"" + unit + "\" (expected ns, us, ms, s, m or h)");
            }
            total = total.add(number.multiply(BigDecimal.valueOf(nanos)));
        }
        // Go truncates fractional nanoseconds and refuses anything beyond int64 nanoseconds (about 292 years).
        BigDecimal whole = total.setScale(0, java.math.RoundingMode.DOWN);
        if (whole.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw invalid(text, "it is too long (at most about 292 years)");
        }
        long n = whole.longValueExact();
        return Duration.ofNanos(negative ? -n : n);
    }

    /** Formats as Go's {@code Duration.String()} does, e.g. {@code 1m30s}, {@code 100ms}; used in messages. */
    static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        long nanos = d.toNanos();
        StringBuilder sb = new StringBuilder();
        if (nanos < 0) {
            sb.append('-');
            nanos = -nanos;
        }
        if (nanos < 1_000_000_000L) {
            if (nanos % 1_000_000L == 0) {
                return sb.append(nanos / 1_000_000L).append("ms").toString();
            }
            if (nanos % 1_000L == 0) {
                return sb.append(nanos / 1_000L).append("us").toString();
            }
            return sb.append(nanos).append("ns").toString();
        }
        long hours = nanos / 3_600_000_000_000L;
        long minutes = nanos / 60_000_000_000L % 60;
        BigDecimal seconds = BigDecimal.valueOf(nanos % 60_000_000_000L, 9).stripTrailingZeros();
        if (hours > 0) {
            sb.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            sb.append(minutes).append('m');
        }
        return sb.append(seconds.toPlainString()).append('s').toString();
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("\"" + text + "\" is not a duration: " + why
                + "; expected a Go duration such as \"10s\", \"1m30s\", \"100ms\", or a whole number of seconds");
    }
}
