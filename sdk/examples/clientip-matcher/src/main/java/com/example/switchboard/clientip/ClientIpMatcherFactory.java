package com.example.switchboard.clientip;

import dev.switchboard.spi.http.RequestView;
import dev.switchboard.spi.match.Matcher;
import dev.switchboard.spi.match.MatcherFactory;
import dev.switchboard.spi.match.RuleClause;
import dev.switchboard.spi.match.RuleException;
import java.util.ArrayList;
import java.util.List;
import org.pf4j.Extension;

/**
 * {@code ClientIP: 10.0.0.0/8, 192.168.1.7, ::1/128}: matches a request whose client address is in one of the
 * ranges (OR). A range is IPv4 or IPv6 CIDR, or a single address.
 *
 * <p><b>Which address.</b> {@link RequestView#clientAddress()}: the TCP peer's address, or, when the peer is a
 * trusted proxy of the entry point ({@code forwardedHeaders.trustedIPs}), the right-most {@code X-Forwarded-For}
 * entry that is not itself trusted, resolved by the kernel. This matcher never reads {@code X-Forwarded-For} itself:
 * a plugin cannot tell whether the entry point trusts the peer, and trusting the field from anyone is the spoofable
 * allow-list Traefik v1 was criticised for.
 *
 * <p>Stateless; the ranges are parsed once per configuration generation. {@link Matcher#matches} is allocation-free
 * for IPv4 peers, lock-free, and safe from every event loop at once.
 */
@Extension
public final class ClientIpMatcherFactory implements MatcherFactory {
    static final String NAME = "ClientIP";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Matcher create(RuleClause clause) throws RuleException {
        // The raw text, not arguments(): the rule tokenizer joins fields split on ':' back with one ':', as
        // Traefik v1 did, so "::1/128" would arrive as ":1/128".
        List<String> arguments = new ArrayList<>();
        for (String a : clause.rawArguments().split(",")) {
            if (!a.isBlank()) {
                arguments.add(a.trim());
            }
        }
        if (arguments.isEmpty()) {
            throw new RuleException(NAME + ": needs at least one CIDR range, for example "
                    + "\"ClientIP: 10.0.0.0/8, ::1/128\"");
        }
        List<IpRange> ranges = new ArrayList<>();
        for (String argument : arguments) {
            try {
                ranges.add(IpRange.parse(argument));
            } catch (IllegalArgumentException e) {
                throw new RuleException(NAME + ": \"" + argument + "\" is not a CIDR range: " + e.getMessage());
            }
        }
        return new ClientIpMatcher(ranges.toArray(IpRange[]::new));
    }

    /** The compiled rule: immutable, so shared by every event loop without locks. */
    static final class ClientIpMatcher implements Matcher {
        private final IpRange[] ranges;

        ClientIpMatcher(IpRange[] ranges) {
            this.ranges = ranges;
        }

        @Override
        public boolean matches(RequestView request) {
            String address = request.clientAddress();
            if (address == null || address.isEmpty()) {
                return false;
            }
            long hi;
            long lo;
            boolean v4 = address.indexOf(':') < 0;
            if (v4) {
                long ipv4 = IpRange.parseV4(address, 0, address.length());
                if (ipv4 < 0) {
                    return false;
                }
                hi = 0;
                lo = 0xffff_0000_0000L | ipv4;
            } else {
                long[] v6 = new long[2];
                if (!IpRange.parseV6(address, v6)) {
                    return false;
                }
                hi = v6[0];
                lo = v6[1];
                v4 = hi == 0 && (lo >>> 32) == 0xffff;
            }
            for (IpRange r : ranges) {
                if (r.contains(hi, lo, v4)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String toString() {
            return NAME + ": " + java.util.Arrays.toString(ranges);
        }
    }
}
