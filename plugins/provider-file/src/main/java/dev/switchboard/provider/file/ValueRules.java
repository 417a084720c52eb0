package dev.switchboard.provider.file;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks of single values, each returning null when valid or a message saying what was expected. */
final class ValueRules {

    static final Set<String> SERVER_SCHEMES = Set.of("http", "https", "h2c");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern STATUS = Pattern.compile("(\\d{3})(?:-(\\d{3}))?");

    private ValueRules() {
    }

    /** A server URL: absolute, scheme http, https or h2c, a host, a port in range. */
    static String serverUrl(String url) {
        if (!url.contains("://")) {
            return "\"" + url + "\" is not an absolute URL: expected scheme://host:port with scheme http, https"
                    + " or h2c, such as \"http://10.0.0.1:8080\"";
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            return "\"" + url + "\" is not a valid URL (" + e.getReason() + "): expected for example"
                    + " \"http://10.0.0.1:8080\"";
        }
        if (uri.getScheme() == null || !SERVER_SCHEMES.contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
            return "\"" + url + "\" has " + (uri.getScheme() == null ? "no scheme" : "scheme '" + uri.getScheme()
                    + "'") + ": expected an absolute URL with scheme http, https or h2c, such as"
                    + " \"http://10.0.0.1:8080\"";
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            if (uri.getRawAuthority() != null && !uri.getRawAuthority().isEmpty()) {
                return "\"" + url + "\": host '" + uri.getRawAuthority() + "' is not a valid host name (letters,"
                        + " digits, '-' and '.'; an underscore is not allowed) or IP address";
            }
            return "\"" + url + "\" has no host: expected for example \"http://10.0.0.1:8080\"";
        }
        if (uri.getPort() > 65535) {
            return "\"" + url + "\": port " + uri.getPort() + " is out of range (1-65535)";
        }
        return null;
    }

    /** A header field name (RFC 9110 §5.1 token). */
    static String headerName(String name) {
        return TOKEN.matcher(name).matches() ? null
                : "'" + name + "' is not a valid header name (RFC 9110 token characters only)";
    }

    /** A header value: no CR, LF or NUL (they would split or corrupt the message, RFC 9110 §5.5). */
    static String headerValue(String value) {
        return value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0
                ? "a header value must not contain CR, LF or NUL" : null;
    }

    /** A cookie name (RFC 6265 §4.1.1: a token). */
    static String cookieName(String name) {
        return TOKEN.matcher(name).matches() ? null
                : "'" + name + "' is not a valid cookie name (RFC 6265 token characters only)";
    }

    /** Traefik v1's extractors: {@code client.ip}, {@code request.host}, {@code request.header.NAME}. */
    static String extractor(String func) {
        if (func.equals("client.ip") || func.equals("request.host")) {
            return null;
        }
        if (func.startsWith("request.header.") && func.length() > "request.header.".length()) {
            return null;
        }
        return "\"" + func + "\" is not an extractor: expected client.ip, request.host or request.header.NAME";
    }

    /** An IP address or CIDR range, as Traefik v1's whitelist accepted. */
    static String sourceRange(String range) {
        String address = range;
        String prefix = null;
        int slash = range.indexOf('/');
        if (slash >= 0) {
            address = range.substring(0, slash);
            prefix = range.substring(slash + 1);
        }
        boolean v4 = IPV4.matcher(address).matches();
        boolean v6 = !v4 && isIpv6(address);
        if (!v4 && !v6) {
            return "\"" + range + "\" is not an IP address or CIDR range such as \"10.0.0.0/8\" or \"2001:db8::/32\"";
        }
        if (prefix != null) {
            int max = v4 ? 32 : 128;
            if (!prefix.matches("\\d{1,3}") || Integer.parseInt(prefix) > max) {
                return "\"" + range + "\": the prefix length must be 0 to " + max;
            }
        }
        return null;
    }

    private static boolean isIpv6(String address) {
        if (address.indexOf(':') < 0 || !address.matches("[0-9A-Fa-f:.]+")) {
            return false;
        }
        try {
            // A literal made of hex digits, ':' and '.' only is parsed without any name lookup.
            return java.net.InetAddress.getByName(address) != null;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** An error-page status: {@code "404"} or an inclusive range {@code "500-599"}. */
    static String statusRange(String status) {
        var m = STATUS.matcher(status.strip());
        if (!m.matches()) {
            return "\"" + status + "\" is not a status or range: expected for example \"404\" or \"500-599\"";
        }
        int from = Integer.parseInt(m.group(1));
        int to = m.group(2) == null ? from : Integer.parseInt(m.group(2));
        if (from < 100 || to > 599 || from > to) {
            return "\"" + status + "\": expected statuses from 100 to 599, the lower first";
        }
        return null;
    }
}
