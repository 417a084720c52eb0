package dev.switchboard.kernel.net;

import dev.switchboard.kernel.http.HttpHead;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The client address behind trusted proxies, as nginx's {@code real_ip_recursive on} finds it: for a request whose
 * TCP peer is trusted ({@code forwardedHeaders.trustedIPs}, or {@code insecure = true}), the {@code X-Forwarded-For}
 * entries (every field line, in order) are walked from the right; the first entry that is not itself trusted is the
 * client. If every entry is trusted, the left-most is. An entry that is not an IP address literal ends the walk and
 * the address reached so far stands: a malformed field can never make the client look like someone else than the
 * last proxy that was trusted. No name is ever resolved.
 */
final class ForwardedFor {
    private ForwardedFor() {
    }

    /** The client address for a request from trusted peer {@code peerIp} (formatted as the peer's). */
    static String clientAddress(HttpHead head, String peerIp, CidrSet trusted) {
        String client = peerIp;
        for (int i = head.fieldCount() - 1; i >= 0; i--) {
            if (!head.nameIs(i, "X-Forwarded-For")) {
                continue;
            }
            String v = head.value(i);
            int end = v.length();
            while (true) {
                int comma = v.lastIndexOf(',', end - 1);
                String entry = v.substring(comma + 1, end).strip();
                if (!entry.isEmpty()) {
                    InetAddress a = parseLiteral(entry);
                    if (a == null) {
                        return client;
                    }
                    client = ClientConnection.formatAddress(a);
                    if (!trusted.contains(a)) {
                        return client;
                    }
                }
                if (comma < 0) {
                    break;
                }
                end = comma;
            }
        }
        return client;
    }

    /** An IPv4 dotted quad or an IPv6 literal (brackets allowed, no zone), or null; never a name lookup. */
    static InetAddress parseLiteral(String s) {
        String a = s.length() > 2 && s.charAt(0) == '[' && s.charAt(s.length() - 1) == ']'
                ? s.substring(1, s.length() - 1) : s;
        if (a.isEmpty() || a.length() > 45 || !(a.charAt(0) == ':' || Character.digit(a.charAt(0), 16) >= 0)) {
            return null;
        }
        if (a.indexOf(':') < 0) {
            return ipv4(a);
        }
        for (int i = 0; i < a.length(); i++) {
            char c = a.charAt(i);
            if (!(c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
                return null;
            }
        }
        try {
            // Starts with a hex digit or ':' and contains ':': InetAddress parses it as a literal or refuses it,
            // without a lookup.
            return InetAddress.getByName(a);
        } catch (UnknownHostException | RuntimeException e) {
            return null;
        }
    }

    private static InetAddress ipv4(String a) {
        byte[] b = new byte[4];
        int part = 0;
        int value = -1;
        for (int i = 0; i <= a.length(); i++) {
            char c = i == a.length() ? '.' : a.charAt(i);
            if (c == '.') {
                if (value < 0 || part > 3) {
                    return null;
                }
                b[part++] = (byte) value;
                value = -1;
            } else if (c >= '0' && c <= '9') {
                value = value < 0 ? c - '0' : value * 10 + (c - '0');
                if (value > 255) {
                    return null;
                }
            } else {
                return null;
            }
        }
        if (part != 4) {
            return null;
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
