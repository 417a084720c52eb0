package com.example.switchboard.clientip;

/**
 * One CIDR range, IPv4 or IPv6, and the parsing of the textual client addresses it is matched against (IPv4:
 * allocation-free; IPv6: a few two-long arrays that do not escape the call).
 *
 * <p>An IPv4-mapped IPv6 address ({@code ::ffff:10.1.2.3}, what a dual-stack socket reports for an IPv4 peer) is
 * matched as the IPv4 address it carries, so {@code 10.0.0.0/8} covers it.
 */
final class IpRange {
    private final boolean v4;
    private final long hi;
    private final long lo;
    private final long hiMask;
    private final long loMask;
    private final int prefix;
    private final String text;

    private IpRange(boolean v4, long hi, long lo, int prefix, String text) {
        this.v4 = v4;
        int bits = v4 ? 32 : 128;
        long[] mask = mask(prefix + (128 - bits));
        // IPv4 ranges are held as IPv4-mapped IPv6 (::ffff:a.b.c.d) so one comparison covers both families.
        this.hiMask = v4 ? -1L : mask[0];
        this.loMask = mask[1];
        this.hi = hi & hiMask;
        this.lo = lo & loMask;
        this.prefix = prefix;
        this.text = text;
    }

    /** Parses {@code 10.0.0.0/8}, {@code ::1/128}, or a single address ({@code /32} or {@code /128}). */
    static IpRange parse(String cidr) throws IllegalArgumentException {
        int slash = cidr.indexOf('/');
        String address = slash < 0 ? cidr : cidr.substring(0, slash);
        boolean v4 = address.indexOf(':') < 0;
        int max = v4 ? 32 : 128;
        int prefix = max;
        if (slash >= 0) {
            String p = cidr.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("prefix length '" + p + "' is not a number");
            }
            prefix = Integer.parseInt(p);
            if (prefix > max) {
                throw new IllegalArgumentException("prefix length " + prefix + " is more than " + max + " for "
                        + (v4 ? "IPv4" : "IPv6"));
            }
        }
        long[] value = new long[2];
        if (v4) {
            long a = parseV4(address, 0, address.length());
            if (a < 0) {
                throw new IllegalArgumentException("'" + address + "' is not an IPv4 address");
            }
            value[0] = 0;
            value[1] = 0xffff_0000_0000L | a;
        } else if (!parseV6(address, value)) {
            throw new IllegalArgumentException("'" + address + "' is not an IPv6 address");
        }
        IpRange range = new IpRange(v4, value[0], value[1], prefix, cidr);
        if (range.hi != value[0] || range.lo != value[1]) {
            throw new IllegalArgumentException("'" + cidr + "' has bits set beyond its /" + prefix
                    + " prefix; write the network address");
        }
        return range;
    }

    /**
     * True if {@code hi:lo} (an IPv6 value; IPv4 as IPv4-mapped, {@code v4} true) is in this range. As in Go's
     * {@code net.IPNet}, an IPv6 range wider than {@code ::ffff:0:0/96} ({@code ::/0}, say) does not cover IPv4
     * clients: it was written for IPv6 ones.
     */
    boolean contains(long addressHi, long addressLo, boolean addressIsV4) {
        if (addressIsV4 && !v4 && prefix < 96) {
            return false;
        }
        return (addressHi & hiMask) == hi && (addressLo & loMask) == lo;
    }

    boolean isV4() {
        return v4;
    }

    @Override
    public String toString() {
        return text;
    }

    private static long[] mask(int prefix) {
        long hiMask = prefix >= 64 ? -1L : prefix == 0 ? 0 : -1L << (64 - prefix);
        long loMask = prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
        return new long[] {hiMask, loMask};
    }

    /** {@code a.b.c.d} in {@code s[from, to)} as an unsigned 32-bit value, or -1. No leading zeros, as Go's parser. */
    static long parseV4(String s, int from, int to) {
        long value = 0;
        int parts = 0;
        int i = from;
        while (parts < 4) {
            int start = i;
            int n = 0;
            while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9' && i - start < 3) {
                n = n * 10 + (s.charAt(i) - '0');
                i++;
            }
            if (i == start || n > 255 || (i - start > 1 && s.charAt(start) == '0')) {
                return -1;
            }
            value = (value << 8) | n;
            parts++;
            if (parts < 4) {
                if (i >= to || s.charAt(i) != '.') {
                    return -1;
                }
                i++;
            }
        }
        return i == to ? value : -1;
    }

    /**
     * Parses an IPv6 literal ({@code ::} compression and a trailing dotted IPv4 allowed) into {@code out[0]} (high
     * 64 bits) and {@code out[1]}; false if it is not one.
     */
    static boolean parseV6(String s, long[] out) {
        int n = s.length();
        if (n < 2) {
            return false;
        }
        long hi = 0;
        long lo = 0;
        int groups = 0;
        int gapAt = -1;
        int i = 0;
        if (s.startsWith("::")) {
            gapAt = 0;
            i = 2;
            if (i == n) {
                out[0] = 0;
                out[1] = 0;
                return true;
            }
        }
        while (i < n) {
            if (groups == 8) {
                return false;
            }
            int start = i;
            int v = 0;
            while (i < n && i - start < 4 && Character.digit(s.charAt(i), 16) >= 0) {
                v = (v << 4) | Character.digit(s.charAt(i), 16);
                i++;
            }
            if (i < n && s.charAt(i) == '.') {
                // trailing IPv4: takes two groups
                if (groups > 6) {
                    return false;
                }
                long v4 = parseV4(s, start, n);
                if (v4 < 0) {
                    return false;
                }
                long[] shifted = shiftIn(hi, lo, v4 >>> 16);
                shifted = shiftIn(shifted[0], shifted[1], v4 & 0xffff);
                hi = shifted[0];
                lo = shifted[1];
                groups += 2;
                i = n;
                break;
            }
            if (i == start) {
                return false;
            }
            long[] shifted = shiftIn(hi, lo, v);
            hi = shifted[0];
            lo = shifted[1];
            groups++;
            if (i == n) {
                break;
            }
            if (s.charAt(i) != ':') {
                return false;
            }
            i++;
            if (i < n && s.charAt(i) == ':') {
                if (gapAt >= 0) {
                    return false;
                }
                gapAt = groups;
                i++;
                if (i == n) {
                    break;
                }
            } else if (i == n) {
                return false;
            }
        }
        if (gapAt < 0 ? groups != 8 : groups > 7) {
            return false;
        }
        if (gapAt >= 0) {
            // move the groups after the gap to the end: shift the tail left by the missing groups' width
            int missing = 8 - groups;
            int tailGroups = groups - gapAt;
            long[] head = shiftRight(hi, lo, 16 * tailGroups);
            long[] tail = maskLow(hi, lo, 16 * tailGroups);
            long[] headShifted = shiftLeft(head[0], head[1], 16 * (tailGroups + missing));
            hi = headShifted[0] | tail[0];
            lo = headShifted[1] | tail[1];
        }
        out[0] = hi;
        out[1] = lo;
        return true;
    }

    private static long[] shiftIn(long hi, long lo, long group) {
        return new long[] {(hi << 16) | (lo >>> 48), (lo << 16) | group};
    }

    private static long[] shiftLeft(long hi, long lo, int bits) {
        if (bits == 0) {
            return new long[] {hi, lo};
        }
        if (bits >= 128) {
            return new long[] {0, 0};
        }
        if (bits >= 64) {
            return new long[] {lo << (bits - 64), 0};
        }
        return new long[] {(hi << bits) | (lo >>> (64 - bits)), lo << bits};
    }

    private static long[] shiftRight(long hi, long lo, int bits) {
        if (bits == 0) {
            return new long[] {hi, lo};
        }
        if (bits >= 128) {
            return new long[] {0, 0};
        }
        if (bits >= 64) {
            return new long[] {0, hi >>> (bits - 64)};
        }
        return new long[] {hi >>> bits, (lo >>> bits) | (hi << (64 - bits))};
    }

    private static long[] maskLow(long hi, long lo, int bits) {
        long[] m = mask(128 - bits);
        return new long[] {hi & ~m[0], lo & ~m[1]};
    }
}
