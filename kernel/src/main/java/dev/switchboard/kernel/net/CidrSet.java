package dev.switchboard.kernel.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * A set of address ranges ({@code 10.0.0.0/8}, {@code ::1/128}, or a single address), used for an entry point's
 * trusted proxies. Immutable; thread-safe.
 */
final class CidrSet {
    private record Range(byte[] prefix, int bits) {
        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (prefix[full] & mask);
        }
    }

    private final List<Range> ranges;

    private CidrSet(List<Range> ranges) {
        this.ranges = ranges;
    }

    /** Parses CIDRs or plain addresses (literals only: no name is resolved). */
    static CidrSet parse(List<String> cidrs) {
        List<Range> out = new ArrayList<>();
        for (String c : cidrs) {
            String s = c.strip();
            int slash = s.indexOf('/');
            String addr = slash < 0 ? s : s.substring(0, slash);
            if (addr.isEmpty() || !(Character.digit(addr.charAt(0), 16) >= 0 || addr.charAt(0) == ':')) {
                throw new IllegalArgumentException("trusted proxy is not an address or CIDR: " + c);
            }
            byte[] bytes;
            try {
                bytes = InetAddress.getByName(addr).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("trusted proxy is not an address or CIDR: " + c, e);
            }
            int bits = slash < 0 ? bytes.length * 8 : Integer.parseInt(s.substring(slash + 1));
            if (bits < 0 || bits > bytes.length * 8) {
                throw new IllegalArgumentException("invalid prefix length in " + c);
            }
            out.add(new Range(bytes, bits));
        }
        return new CidrSet(List.copyOf(out));
    }

    boolean contains(InetAddress address) {
        if (address == null) {
            return false;
        }
        byte[] a = address.getAddress();
        for (Range r : ranges) {
            if (r.contains(a)) {
                return true;
            }
        }
        return false;
    }
}
