package com.example.switchboard.clientip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.http.RequestView;
import dev.switchboard.spi.match.Matcher;
import dev.switchboard.spi.match.RuleClause;
import dev.switchboard.spi.match.RuleException;
import dev.switchboard.spi.model.Origin;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The rule without a proxy: range parsing and matching, IPv4 and IPv6. */
class ClientIpRulesTest {

    /** As the kernel's tokenizer builds the clause: arguments() has "::" collapsed to ":", as in Traefik v1. */
    private static Matcher rule(String arguments) throws RuleException {
        List<String> args = Arrays.stream(arguments.replace("::", ":").split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
        return new ClientIpMatcherFactory().create(new RuleClause("ClientIP", arguments, args, false, "test",
                new Origin("test.toml", 1)));
    }

    private static RequestView from(String address) {
        return new RequestView() {
            public String method() { return "GET"; }
            public String host() { return ""; }
            public String rawHost() { return ""; }
            public String path() { return "/"; }
            public String query() { return ""; }
            public String queryParameter(String name) { return null; }
            public String header(String name) { return null; }
            public List<String> headers(String name) { return List.of(); }
            public String clientAddress() { return address; }
            public String entryPoint() { return "http"; }
            public boolean secure() { return false; }
        };
    }

    @ParameterizedTest(name = "{0} in [{1}] -> {2}")
    @CsvSource(delimiter = '|', value = {
            "10.1.2.3        | 10.0.0.0/8                | true",
            "11.0.0.1        | 10.0.0.0/8                | false",
            "192.168.1.7     | 192.168.1.7               | true",
            "192.168.1.8     | 192.168.1.7               | false",
            "0.0.0.0         | 0.0.0.0/0                 | true",
            "255.255.255.255 | 0.0.0.0/0                 | true",
            "::1             | ::1/128                   | true",
            "::2             | ::1/128                   | false",
            "2001:db8::17    | 2001:db8::/32             | true",
            "2001:db9::17    | 2001:db8::/32             | false",
            "fe80::1:2       | fe80::/10                 | true",
            "febf:ffff::1    | fe80::/10                 | true",
            "fec0::1         | fe80::/10                 | false",
            "1:2:3:4:5:6:7:8 | 1:2:3:4:5:6:7:0/112       | true",
            "1:2:3:4:5:6:8:8 | 1:2:3:4:5:6:7:0/112       | false",
            "::ffff:10.9.8.7 | 10.0.0.0/8                | true",
            "10.9.8.7        | ::ffff:10.0.0.0/104       | true",
            "10.1.2.3        | ::/0                      | false",
            "::ffff:10.1.2.3 | ::/0                      | false",
            "::ffff:10.1.2.3 | ::ffff:0:0/96             | true",
            "::1             | 10.0.0.0/8, ::1/128       | true",
            "127.0.0.1       | 10.0.0.0/8, ::1/128       | false",
            "not-an-address  | 0.0.0.0/0                 | false",
            "2001:db8::1:0:0:1 | 2001:db8:0:0:1::/80     | true",
    })
    void addressIsMatchedAgainstTheRanges(String address, String ranges, boolean expected) throws RuleException {
        assertEquals(expected, rule(ranges.replace(", ", ",")).matches(from(address)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "10.0.0.0/33      | more than 32",
            "::/129           | more than 128",
            "10.0.0.1/8       | beyond its /8 prefix",
            "10.0.0/8         | not an IPv4 address",
            "010.0.0.0/8      | not an IPv4 address",
            "1:2:3:4:5:6:7:8:9 | not an IPv6 address",
            "1::2::3          | not an IPv6 address",
            "example.com      | not an IPv4 address",
            "10.0.0.0/x       | not a number",
    })
    void invalidRangeIsRefusedNamingItAndWhy(String range, String why) {
        RuleException e = assertThrows(RuleException.class, () -> rule(range));
        assertTrue(e.getMessage().contains("\"" + range + "\"") && e.getMessage().contains(why), e.getMessage());
    }

    @Test
    void ruleWithoutRangesIsRefusedWithAnExample() {
        RuleException e = assertThrows(RuleException.class, () -> rule(""));
        assertTrue(e.getMessage().contains("ClientIP: 10.0.0.0/8"), e.getMessage());
    }

    @Test
    void parsedIpv6ValuesAreExact() {
        long[] v = new long[2];
        assertTrue(IpRange.parseV6("2001:db8::ff00:42:8329", v));
        assertEquals(0x2001_0db8_0000_0000L, v[0]);
        assertEquals(0x0000_ff00_0042_8329L, v[1]);
        assertTrue(IpRange.parseV6("::", v));
        assertEquals(0, v[0] | v[1]);
        assertFalse(IpRange.parseV6(":1", v));
        assertFalse(IpRange.parseV6("1:", v));
    }
}
