package dev.switchboard.kernel.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.match.RuleClause;
import dev.switchboard.spi.match.RuleException;
import dev.switchboard.spi.model.Origin;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuleTokenizerTest {

    private static List<String> tokens(String rule) throws RuleException {
        return RuleTokenizer.tokenize(rule, false, "f", Origin.UNKNOWN).stream()
                .map(c -> c.function() + c.arguments()).collect(Collectors.toList());
    }

    /** Every rule of the reference's §4.7 harness table, at the tokenizer level. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "PathPrefix:/foo | PathPrefix[/foo]",
            "PathPrefix:/foo/{id:[0-9]+} | PathPrefix[/foo/{id:[0-9]+}]",
            "Path:/a/{x} | Path[/a/{x}]",
            "Host:Example.COM | Host[Example.COM]",
            "HostRegexp:{sub:[a-z]+}.example.com | HostRegexp[{sub:[a-z]+}.example.com]",
            "'Method:get,POST' | 'Method[get, POST]'",
            "'Query:a=1,b=2' | 'Query[a=1, b=2]'",
            "Path:/{id:[0-9]{2,3}} | Path[/{id:[0-9]{2,3}}]",
            "Path:foo | Path[foo]",
            "Path: /a ; Host: A.com | Path[/a];Host[A.com]",
            "Foo:/x | Foo[/x]",
    })
    void referenceHarnessRulesSplitAsTraefikExceptBracedCommas(String rule, String expected) throws Exception {
        assertEquals(expected, String.join(";", tokens(rule)));
    }

    @org.junit.jupiter.api.Test
    void doubleColonCollapsesAndEmptyClausesAndArgumentsAreDropped() throws Exception {
        assertEquals(List.of("Path[/a:b]"), tokens("Path: /a::b"));
        assertEquals(List.of("Host[a.com, b.com]", "Method[GET]"), tokens(";Host: a.com, , b.com;; Method:GET; "));
        RuleClause c = RuleTokenizer.tokenize("Host: a.com ", true, "front", new Origin("x.toml", 3)).get(0);
        assertEquals(" a.com ", c.rawArguments());
        assertTrue(c.keepTrailingSlash());
        assertEquals("front", c.frontend());
        assertEquals("x.toml:3", c.origin().toString());
    }

    @org.junit.jupiter.api.Test
    void emptyRulesAndClausesWithoutArgumentsAreErrors() {
        assertTrue(assertThrows(RuleException.class, () -> tokens("")).getMessage().startsWith("empty rule"));
        assertTrue(assertThrows(RuleException.class, () -> tokens(" ; ")).getMessage().startsWith("empty rule"));
        assertEquals("clause \"Host\" has no arguments; expected \"Host: value[, value...]\"",
                assertThrows(RuleException.class, () -> tokens("Host")).getMessage());
        assertEquals("clause \"Host: ,\" has no arguments; expected \"Host: value[, value...]\"",
                assertThrows(RuleException.class, () -> tokens("Host: ,")).getMessage());
    }

    record Clause(String function, List<String> arguments) {
    }

    @Provide
    Arbitrary<List<Clause>> clauses() {
        Arbitrary<String> name = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
                .ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> plain = Arbitraries.strings().withChars("abcxyz019./-_=*?[]^$+()|\\ ")
                .ofMinLength(1).ofMaxLength(10).filter(s -> !s.isBlank()).map(String::trim);
        Arbitrary<String> braced = Combinators.combine(plain, Arbitraries.strings().withChars("az09:,[]+.")
                .ofMaxLength(8), plain).as((a, inner, b) -> a + "{v:" + inner.replace(":", "") + "{1,2}}" + b)
                .map(s -> s.replace("{v:{", "{v:x{"));
        Arbitrary<String> arg = Arbitraries.oneOf(plain, braced).filter(s -> !s.contains(":") || s.contains("{"));
        Arbitrary<Clause> clause = Combinators.combine(name, arg.list().ofMinSize(1).ofMaxSize(4)).as(Clause::new);
        return clause.list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<String> space() {
        return Arbitraries.of("", " ", "  ", "\t");
    }

    @Property(tries = 300)
    void aRuleWrittenFromClausesWithAnySpacingTokenizesBackToThem(@ForAll("clauses") List<Clause> clauses,
                                                                  @ForAll("space") String s1,
                                                                  @ForAll("space") String s2) throws Exception {
        StringBuilder rule = new StringBuilder();
        for (Clause c : clauses) {
            if (rule.length() > 0) {
                rule.append(s1).append(';').append(s2);
            }
            rule.append(s2).append(c.function()).append(s1).append(':').append(s2)
                    .append(String.join(s1 + "," + s2, c.arguments())).append(s1);
        }
        List<RuleClause> got = RuleTokenizer.tokenize(rule.toString(), false, "f", Origin.UNKNOWN);
        List<Clause> back = new ArrayList<>();
        for (RuleClause c : got) {
            back.add(new Clause(c.function(), c.arguments()));
        }
        assertEquals(clauses, back, rule.toString());
    }
}
