package dev.switchboard.plugins.matchers;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.match.RuleException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each bad rule that Traefik v1 accepted silently (a frontend that never matched, a modifier ignored with a warning)
 * is refused with a message that says what is wrong.
 */
class RuleErrorMessageTest {

    @ParameterizedTest(name = "[{index}] {0} -> ...{1}...")
    @CsvSource(delimiter = '|', textBlock = """
            Host:                                  | Host: needs at least one argument
            HostRegexp:{sub:[a-z}.example.com      | HostRegexp: invalid regular expression '[a-z' in '{sub:[a-z}.example.com': Unclosed character class at position 8 of the argument
            HostRegexp:{sub.example.com            | HostRegexp: unbalanced braces in '{sub.example.com': '{' at position 0 is never closed
            Path:/a/{id:[0-9]+}}                   | Path: unbalanced braces in '/a/{id:[0-9]+}}': '}' at position 14 closes nothing
            Path:/a/{:[0-9]+}                      | Path: missing variable name or pattern in '{:[0-9]+}'
            Path:/a/{id:}                          | Path: missing variable name or pattern in '{id:}'
            Path:foo                               | Path: path 'foo' must start with '/'
            PathPrefix:api                         | PathPrefix: path 'api' must start with '/'
            AddPrefix:api                          | AddPrefix: path 'api' must start with '/'
            ReplacePath:x                          | ReplacePath: path 'x' must start with '/'
            Path:/a/{id:(}                         | Path: invalid regular expression '(' in '/a/{id:(}': Unclosed group at position 8 of the argument
            Headers:X-A                            | Headers: needs key, value pairs separated by ',', got 1 item(s) [X-A]
            Headers:X-A,1,X-B                      | got 3 item(s) [X-A, 1, X-B]; the last key has no value
            HeadersRegexp:X-A,a(b                  | HeadersRegexp: invalid regular expression 'a(b': Unclosed group at position 3
            Query:a                                | Query: item 'a' must be key=value (write 'a=' to accept any value)
            Query:=1                               | Query: item '=1' has an empty parameter name
            Query:{k}=1                            | the parameter name cannot be a template
            Query:a={v:[}                          | Query: invalid regular expression '['
            ReplacePathRegex:^/a/(.*)              | ReplacePathRegex: expected '<regexp> <replacement>' separated by exactly one space, got '^/a/(.*)' (1 part(s))
            ReplacePathRegex:^/a/(.*)  /b/$1       | got '^/a/(.*)  /b/$1' (3 part(s))
            ReplacePathRegex:^/a/(.* /b/$1         | ReplacePathRegex: invalid regular expression '^/a/(.*' in '^/a/(.* /b/$1': Unclosed group
            ReplacePathRegex:^/a/(.*) /b/$2        | refers to group $2 but the regular expression has 1 group(s)
            ReplacePathRegex:^/a/(.*) /b/$1x       | refers to group '1x' which the regular expression does not have (Go reads $1x as one name: write ${1}x)
            PathStrip:/a/{id}                      | PathStrip: '/a/{id}' is a template; PathStrip takes literal paths (use PathStripRegex for templates)
            PathPrefixStrip:/a/{id}                | (use PathPrefixStripRegex for templates)
            Method:                                | Method: needs at least one argument
            """)
    void badRuleIsRefusedWithPreciseMessage(String rule, String expectedFragment) {
        RuleException e = assertThrows(RuleException.class, () -> Rules.compile(rule));
        assertTrue(e.getMessage().contains(expectedFragment),
                () -> "message '" + e.getMessage() + "' should contain '" + expectedFragment + "'");
    }
}
