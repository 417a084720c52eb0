package dev.switchboard.plugins.matchers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.spi.match.RuleException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every rule example of the reference (§4.2-4.7, traefik-v1.md) and of Traefik v1's documentation (basics.md
 * "Matchers", "Modifiers"), as a request and what the user sees: 404, a redirect, or the path (and added fields)
 * the server receives.
 */
class TraefikRuleExamplesTest {

    @ParameterizedTest(name = "[{index}] {0} | {1} {2}{3} -> {5}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # rule                                    | method | host              | target                 | request fields        | expected                   | fields added
            # §4.7 harness table
            PathPrefix:/foo                           | GET    | a.com             | /foobar                | -                     | 200 /foobar                | -
            PathPrefix:/foo/{id:[0-9]+}               | GET    | a.com             | /foo/12abc             | -                     | 200 /foo/12abc             | -
            PathPrefix:/foo/{id:[0-9]+}               | GET    | a.com             | /foo/abc               | -                     | 404                        | -
            Path:/a/{x}                               | GET    | a.com             | /a/b/c                 | -                     | 404                        | -
            Path:/a/{x}                               | GET    | a.com             | /a/b                   | -                     | 200 /a/b                   | -
            Host:Example.COM                          | GET    | EXAMPLE.com:8080  | /                      | -                     | 200 /                      | -
            HostRegexp:{sub:[a-z]+}.example.com       | GET    | API.Example.com   | /                      | -                     | 200 /                      | -
            HostRegexp:{sub:[a-z]+}.example.com       | GET    | a.b.example.com   | /                      | -                     | 404                        | -
            Method:get,POST                           | PUT    | a.com             | /                      | -                     | 404                        | -
            Method:get,POST                           | GET    | a.com             | /                      | -                     | 200 /                      | -
            Query:a=1,b=2                             | GET    | a.com             | /?a=1                  | -                     | 404                        | -
            Query:a=1,b=2                             | GET    | a.com             | /?a=1&a=2&b=2          | -                     | 200 /                      | -
            Path: /a ; Host: A.com                    | GET    | a.com             | /a                     | -                     | 200 /a                     | -
            # §4.7 Path:/{id:[0-9]{2,3}} was a silent 404 in Traefik v1 (comma split); here the comma stays in the template
            Path:/{id:[0-9]{2,3}}                     | GET    | a.com             | /12                    | -                     | 200 /12                    | -
            Path:/{id:[0-9]{2,3}}                     | GET    | a.com             | /1                     | -                     | 404                        | -
            # §4.2 Host
            Host:a.com:8080                           | GET    | a.com:8080        | /                      | -                     | 404                        | -
            Host:a.com,b.com                          | GET    | B.COM             | /x                     | -                     | 200 /x                     | -
            Host:a.com                                | GET    | -                 | /                      | -                     | 404                        | -
            HostRegexp:{sub}.example.com              | GET    | www.example.com:80| /                      | -                     | 200 /                      | -
            HostRegexp:example.com                    | GET    | example.com.evil  | /                      | -                     | 404                        | -
            # §4.2 Headers / HeadersRegexp
            Headers:X-A,1,X-B,2                       | GET    | a.com             | /                      | X-A=1;X-B=2           | 200 /                      | -
            Headers:X-A,1,X-B,2                       | GET    | a.com             | /                      | X-A=1                 | 404                        | -
            Headers:X-A,1                             | GET    | a.com             | /                      | x-a=0;x-a=1           | 200 /                      | -
            Headers:X-A,1                             | GET    | a.com             | /                      | X-A=10                | 404                        | -
            'Headers:X-A, '                           | GET    | a.com             | /                      | X-A=anything          | 200 /                      | -
            'Headers:X-A, '                           | GET    | a.com             | /                      | -                     | 404                        | -
            HeadersRegexp:X-A,b+                      | GET    | a.com             | /                      | X-A=abbbc             | 200 /                      | -
            HeadersRegexp:X-A,^b+$                    | GET    | a.com             | /                      | X-A=abbbc             | 404                        | -
            # §4.2 Query
            Query:k=                                  | GET    | a.com             | /?k=zzz                | -                     | 200 /                      | -
            Query:k=                                  | GET    | a.com             | /?k                    | -                     | 200 /                      | -
            Query:k=                                  | GET    | a.com             | /?j=1                  | -                     | 404                        | -
            Query:id={v:[0-9]+}                       | GET    | a.com             | /?id=42                | -                     | 200 /                      | -
            Query:id={v:[0-9]+}                       | GET    | a.com             | /?id=42x               | -                     | 404                        | -
            Query:a=2                                 | GET    | a.com             | /?a=1&a=2              | -                     | 404                        | -
            # §4.4 modifiers
            PathPrefixStrip:/stat                     | GET    | a.com             | /status                | -                     | 200 /us                    | X-Forwarded-Prefix: /stat
            PathPrefixStrip:/api                      | GET    | a.com             | /api                   | -                     | 200 /                      | X-Forwarded-Prefix: /api
            PathPrefixStrip:/api,/api/v2              | GET    | a.com             | /api/v2/users          | -                     | 200 /users                 | X-Forwarded-Prefix: /api/v2
            PathPrefixStrip:/api/                     | GET    | a.com             | /api/users             | -                     | 200 /users                 | X-Forwarded-Prefix: /api/
            PathStrip:/api                            | GET    | a.com             | /api                   | -                     | 200 /                      | X-Forwarded-Prefix: /api
            PathStrip:/api                            | GET    | a.com             | /api/x                 | -                     | 404                        | -
            PathStripRegex:/a/{id:[0-9]+}             | GET    | a.com             | /a/5                   | -                     | 200 /                      | X-Forwarded-Prefix: /a/5
            PathPrefixStripRegex:/a/{id:[0-9]+}       | GET    | a.com             | /a/5/x                 | -                     | 200 /x                     | X-Forwarded-Prefix: /a/5
            PathPrefixStripRegex:/a/                  | GET    | a.com             | /a/b                   | -                     | 200 /b                     | X-Forwarded-Prefix: /a/
            AddPrefix:/x                              | GET    | a.com             | /y                     | -                     | 200 /x/y                   | -
            AddPrefix:/x,/z                           | GET    | a.com             | /y                     | -                     | 200 /z/y                   | -
            ReplacePath:/serve                        | GET    | a.com             | /anything?q=1          | -                     | 200 /serve                 | X-Replaced-Path: /anything
            ReplacePathRegex:^/api/v2/(.*) /api/$1    | GET    | a.com             | /api/v2/users          | -                     | 200 /api/users             | X-Replaced-Path: /api/v2/users
            ReplacePathRegex:^/api/v2/(.*) /api/${1}x | GET    | a.com             | /api/v2/users          | -                     | 200 /api/usersx            | X-Replaced-Path: /api/v2/users
            ReplacePathRegex:^/api/v2/(.*) /api/$1    | GET    | a.com             | /other                 | -                     | 200 /other                 | -
            ReplacePathRegex:o /0                     | GET    | a.com             | /foo                   | -                     | 200 /f/0/0                 | X-Replaced-Path: /foo
            # Go's ReplaceAll skips an empty match right after a match; a result without leading '/' gets one
            ReplacePathRegex:a* -                     | GET    | a.com             | /baaac                 | -                     | 200 /-/-b-c-               | X-Replaced-Path: /baaac
            # order: StripPrefixRegex, StripPrefix, AddPrefix, ReplacePathRegex, ReplacePath, whatever the rule order
            AddPrefix:/v2;PathPrefixStrip:/api        | GET    | a.com             | /api/users             | -                     | 200 /v2/users              | X-Forwarded-Prefix: /api
            ReplacePath:/last;AddPrefix:/v2           | GET    | a.com             | /p                     | -                     | 200 /last                  | X-Replaced-Path: /v2/p
            # §4.5 trailing slash (keepTrailingSlash=false)
            Path:/path/                               | GET    | a.com             | /path/                 | -                     | 200 /path/                 | -
            Path:/path                                | GET    | a.com             | /path/?q=1             | -                     | 301 /path?q=1              | -
            Path:/path/                               | GET    | a.com             | /path                  | -                     | 301 /path/                 | -
            Path:/path                                | GET    | a.com             | /path                  | -                     | 200 /path                  | -
            PathPrefix:/path/                         | GET    | a.com             | /path                  | -                     | 404                        | -
            PathStrip:/path/                          | GET    | a.com             | /path                  | -                     | 301 /path/                 | -
            PathStripRegex:/a/{id}                    | GET    | a.com             | /a/5/                  | -                     | 301 /a/5                   | -
            # Traefik v1 documentation, basics.md
            Headers:Content-Type,application/json     | POST   | a.com             | /                      | Content-Type=application/json | 200 /              | -
            'HeadersRegexp:Content-Type,application/(text|json)' | POST | a.com     | /                      | Content-Type=application/text | 200 /              | -
            Host:traefik.io,www.traefik.io            | GET    | www.traefik.io    | /                      | -                     | 200 /                      | -
            HostRegexp:traefik.io,{subdomain:[a-z]+}.traefik.io | GET | blog.traefik.io | /                 | -                     | 200 /                      | -
            HostRegexp:traefik.io,{subdomain:[a-z]+}.traefik.io | GET | blog1.traefik.io | /                | -                     | 404                        | -
            Method:GET,POST,PUT                       | DELETE | a.com             | /                      | -                     | 404                        | -
            Path:/products/,/articles/{category}/{id:[0-9]+} | GET | a.com        | /articles/tech/42      | -                     | 200 /articles/tech/42      | -
            Path:/products/,/articles/{category}/{id:[0-9]+} | GET | a.com        | /articles/tech/x42     | -                     | 404                        | -
            Path:/products                            | GET    | a.com             | /products/shoes        | -                     | 404                        | -
            PathPrefix:/products                      | GET    | a.com             | /products/shoes        | -                     | 200 /products/shoes        | -
            PathPrefix:/products/,/articles/{category}/{id:[0-9]+} | GET | a.com  | /articles/tech/42/more | -                     | 200 /articles/tech/42/more | -
            PathStrip:/products/                      | GET    | a.com             | /products/             | -                     | 200 /                      | X-Forwarded-Prefix: /products/
            PathStripRegex:/articles/{category}/{id:[0-9]+} | GET | a.com         | /articles/tech/42      | -                     | 200 /                      | X-Forwarded-Prefix: /articles/tech/42
            PathPrefixStrip:/products                 | GET    | a.com             | /products/shirts       | -                     | 200 /shirts                | X-Forwarded-Prefix: /products
            PathPrefixStripRegex:/articles/{category}/{id:[0-9]+} | GET | a.com   | /articles/tech/42/img.png | -                  | 200 /img.png               | X-Forwarded-Prefix: /articles/tech/42
            Query:foo=bar,bar=baz                     | GET    | a.com             | /?bar=baz&foo=bar      | -                     | 200 /                      | -
            Host:test.localhost;PathPrefix:/api       | GET    | test.localhost    | /api/x                 | -                     | 200 /api/x                 | -
            Host:test.localhost;PathPrefix:/api       | GET    | other.localhost   | /api/x                 | -                     | 404                        | -
            AddPrefix:/products                       | GET    | a.com             | /shoes                 | -                     | 200 /products/shoes        | -
            ReplacePath:/serverless-path              | GET    | a.com             | /foo                   | -                     | 200 /serverless-path       | X-Replaced-Path: /foo
            """)
    void ruleRoutesRequestAsTraefikV1(String rule, String method, String host, String target, String fields,
                                      String expected, String added) throws RuleException {
        TestRequest request = new TestRequest(method, host == null ? "" : host, target);
        if (fields != null) {
            for (String f : fields.split(";")) {
                int eq = f.indexOf('=');
                request.header(f.substring(0, eq), f.substring(eq + 1));
            }
        }
        String result = Rules.compile(rule).route(request);
        assertEquals(expected, result, "result of " + rule);
        assertEquals(added == null ? "[]" : "[" + added + "]", request.addedHeaders.toString(),
                "fields added for the server");
    }

    @ParameterizedTest(name = "[{index}] keepTrailingSlash: {0} on {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            Path:/path/   | /path/ | 200 /path/
            Path:/path    | /path/ | 404
            Path:/path/   | /path  | 404
            Path:/path    | /path  | 200 /path
            PathStrip:/a/ | /a     | 404
            """)
    void keepTrailingSlashTurnsRedirectsInto404(String rule, String target, String expected) throws RuleException {
        assertEquals(expected, Rules.compile(rule, true).route(TestRequest.get("a.com", target)));
    }
}
