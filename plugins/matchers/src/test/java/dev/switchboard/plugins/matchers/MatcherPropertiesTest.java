package dev.switchboard.plugins.matchers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.match.IndexHint;
import dev.switchboard.spi.match.Matcher;
import dev.switchboard.spi.match.RuleException;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Properties of the matchers over generated hosts, templates and paths. */
class MatcherPropertiesTest {

    @Provide
    Arbitrary<String> hostNames() {
        Arbitrary<String> label = Arbitraries.strings().withCharRange('a', 'z').numeric().withChars('-')
                .ofMinLength(1).ofMaxLength(12).filter(l -> !l.startsWith("-"));
        return label.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(".", l));
    }

    @Provide
    Arbitrary<String> letterCases() {
        return Arbitraries.strings().withChars('u', 'l').ofLength(64);
    }

    private static String recase(String s, String cases) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(cases.charAt(i % cases.length()) == 'u' ? Character.toUpperCase(c) : c);
        }
        return b.toString();
    }

    @Property
    void hostRuleMatchesItsHostInAnyLetterCaseAndWithAnyPort(@ForAll("hostNames") String host,
                                                           @ForAll("letterCases") String ruleCase,
                                                           @ForAll("letterCases") String requestCase,
                                                           @ForAll @IntRange(min = 0, max = 65535) int port)
            throws RuleException {
        Rules rule = Rules.compile("Host:" + recase(host, ruleCase));
        String rawHost = recase(host, requestCase) + (port == 0 ? "" : ":" + port);
        assertTrue(rule.matches(TestRequest.get(rawHost, "/")));
        assertFalse(rule.matches(TestRequest.get("x" + host, "/")));
        IndexHint hint = rule.matchers.get(0).indexHint();
        assertTrue(hint.hosts().contains(TestRequest.get(rawHost, "/").host()), "index hint names the host");
    }

    @Property
    void hostRegexpTemplateMatchesAnyLabelInAnyCaseButNotTwoLabels(@ForAll("hostNames") String domain,
                                                                 @ForAll("letterCases") String requestCase)
            throws RuleException {
        Rules rule = Rules.compile("HostRegexp:{sub}." + domain);
        assertTrue(rule.matches(TestRequest.get(recase("www." + domain, requestCase), "/")));
        assertFalse(rule.matches(TestRequest.get("a.b." + domain, "/")));
    }

    /** A path template and a path it must match, generated together. */
    record Case(String template, String matching, String notMatching) {
    }

    @Provide
    Arbitrary<Case> templates() {
        Arbitrary<String> literal = Arbitraries.strings().withCharRange('a', 'z').withChars('.', '-', '+', '*', '(')
                .ofMinLength(1).ofMaxLength(6);
        Arbitrary<String> digits = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(5);
        Arbitrary<String[]> segment = Arbitraries.oneOf(
                literal.map(l -> new String[] {l, l, l}),
                digits.map(d -> new String[] {"{id:[0-9]+}", d, "x" + d}),
                literal.map(l -> new String[] {"{any}", l, l + "/" + l}),
                digits.map(d -> new String[] {"{n:[0-9]{1,5}}", d, d + "123456"}));
        return segment.list().ofMinSize(1).ofMaxSize(5).map(segments -> {
            StringBuilder t = new StringBuilder();
            StringBuilder ok = new StringBuilder();
            StringBuilder bad = new StringBuilder();
            boolean broken = false;
            for (String[] s : segments) {
                t.append('/').append(s[0]);
                ok.append('/').append(s[1]);
                if (!broken && !s[1].equals(s[2])) {
                    bad.append('/').append(s[2]);
                    broken = true;
                } else {
                    bad.append('/').append(s[1]);
                }
            }
            return new Case(t.toString(), ok.toString(), broken ? bad.toString() : null);
        });
    }

    @Property
    void pathTemplateMatchesWhatItDescribesAndNothingElse(@ForAll("templates") Case c) throws RuleException {
        Rules rule = Rules.compile("Path:" + c.template());
        assertTrue(rule.matches(TestRequest.get("a.com", c.matching())), c.matching());
        if (c.notMatching() != null) {
            assertFalse(rule.matches(TestRequest.get("a.com", c.notMatching())), c.notMatching());
        }
        assertFalse(rule.matches(TestRequest.get("a.com", c.matching() + "/x")), "Path is anchored at the end");
        assertEquals("200 " + c.matching(), rule.route(TestRequest.get("a.com", c.matching())));
        assertHintHolds(rule.matchers.get(0), c.matching());
    }

    @Property
    void pathPrefixTemplateMatchesAnyContinuation(@ForAll("templates") Case c,
                                                  @ForAll("hostNames") String rest) throws RuleException {
        Rules rule = Rules.compile("PathPrefix:" + c.template());
        String path = c.matching() + "/" + rest;
        assertTrue(rule.matches(TestRequest.get("a.com", path)));
        assertHintHolds(rule.matchers.get(0), path);
    }

    @Property
    void pathPrefixStripRegexLeavesExactlyTheContinuation(@ForAll("templates") Case c,
                                                          @ForAll("hostNames") String rest) throws RuleException {
        TestRequest request = TestRequest.get("a.com", c.matching() + "/" + rest + "?q=1");
        assertEquals("200 /" + rest, Rules.compile("PathPrefixStripRegex:" + c.template()).route(request));
        assertEquals(List.of("X-Forwarded-Prefix: " + c.matching()), request.addedHeaders);
        assertEquals(1, request.pathChanges);
    }

    private static void assertHintHolds(Matcher m, String path) {
        List<String> prefixes = m.indexHint().pathPrefixes();
        if (prefixes != null) {
            assertTrue(prefixes.stream().anyMatch(path::startsWith), () -> path + " starts with one of " + prefixes);
        }
    }

    @Provide
    Arbitrary<String> segments() {
        return Arbitraries.strings().withCharRange('a', 'z').numeric().withChars('-', '.', '_')
                .ofMinLength(1).ofMaxLength(8).list().ofMinSize(0).ofMaxSize(4)
                .map(l -> l.isEmpty() ? "" : "/" + String.join("/", l));
    }

    @Property
    void pathPrefixStripAppliedOnceGivesSlashPlusRest(@ForAll("segments") String prefix,
                                                      @ForAll("segments") String rest,
                                                      @ForAll boolean slashAfterPrefix) throws RuleException {
        String p = prefix.isEmpty() ? "/" : prefix + (slashAfterPrefix ? "/" : "");
        TestRequest request = TestRequest.get("a.com", p + rest);
        String expected = "/" + (rest.startsWith("/") ? rest.substring(1) : rest);
        if (p.endsWith("/") && rest.startsWith("/")) {
            expected = rest; // "/a/" + "/b": one slash of "//b" trimmed, the other kept
        }
        assertEquals("200 " + expected, Rules.compile("PathPrefixStrip:" + p).route(request));
        assertEquals(List.of("X-Forwarded-Prefix: " + p), request.addedHeaders);
        assertEquals(1, request.pathChanges, "the path is rewritten exactly once");
    }

    @Property
    void everyModifierChainRewritesInTraefikOrderOnce(@ForAll("segments") String strip,
                                                      @ForAll("segments") String add,
                                                      @ForAll("segments") String rest) throws RuleException {
        String s = strip.isEmpty() ? "/s" : strip;
        String a = add.isEmpty() ? "/a" : add;
        // Written in reverse order on purpose: modifiers run by their order, not by where they appear.
        Rules rule = Rules.compile("AddPrefix:" + a + ";PathPrefixStrip:" + s);
        TestRequest request = TestRequest.get("a.com", s + rest);
        String stripped = rest.isEmpty() ? "/" : rest;
        assertEquals("200 " + a + stripped, rule.route(request));
        assertEquals(2, request.pathChanges);
    }

    @Property
    void methodMatchesOnlyListedMethodsUpperCased(@ForAll("methods") String listed, @ForAll("methods") String sent)
            throws RuleException {
        Rules rule = Rules.compile("Method:" + listed.toLowerCase(Locale.ROOT));
        assertEquals(listed.equals(sent), rule.matches(new TestRequest(sent, "a.com", "/")));
    }

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");
    }

    @Property
    void queryRuleTestsOnlyTheFirstValue(@ForAll @IntRange(max = 50) int first, @ForAll @IntRange(max = 50) int second)
            throws RuleException {
        Rules rule = Rules.compile("Query:a=" + second);
        assertEquals(first == second, rule.matches(TestRequest.get("a.com", "/?a=" + first + "&a=" + second)));
    }

    @Property(tries = 200)
    void replacePathRegexKeepsTheGroupItRefersTo(@ForAll("segments") String tail) throws RuleException {
        Rules rule = Rules.compile("ReplacePathRegex:^/api(/v[0-9]+)?(/.*)?$ /new$2");
        TestRequest request = TestRequest.get("a.com", "/api/v2" + tail);
        assertEquals("200 /new" + tail, rule.route(request));
    }
}
