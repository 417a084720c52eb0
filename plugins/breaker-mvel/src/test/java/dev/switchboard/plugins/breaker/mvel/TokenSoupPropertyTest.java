package dev.switchboard.plugins.breaker.mvel;

import dev.switchboard.spi.breaker.ExpressionException;
import dev.switchboard.spi.breaker.TripCondition;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random sequences of grammar tokens and hostile tokens. Whatever the mix, MVEL sees only what fits the grammar, and
 * only in canonical form.
 */
class TokenSoupPropertyTest {

    private static final List<String> GRAMMAR = List.of(
            "NetworkErrorRatio()", "NetworkErrorRatio", "LatencyAtQuantileMS(", "LatencyAtQuantileMS(50.0)",
            "ResponseCodeRatio(", "ResponseCodeRatio(500, 600, 0, 600)", "(", ")", ",", "&&", "||", "!", "==",
            "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "0", "0.5", "50", "50.0", "600", "99.9", ".5", "7.");

    /** Each of these is refused by the tokenizer wherever it stands (tokens are joined with spaces). */
    private static final List<String> HOSTILE = List.of(
            "Runtime", "System", "exit", "getClass()", ".", ".getClass()", "new", "=", ";", "import", "'x'",
            "\"x\"", "@", "$", "[", "]", "{", "}", "?", ":", "&", "|", "^", "~", "instanceof", "java.lang.Runtime",
            "1e99", "0x10", "1_0", "class", "T(", "#", "%", "<<", ">>", "def", "while", "for", "null", "true",
            "this", "\\", "`", "//", "/*", "\u0000", "networkErrorRatio()", "exec(\"x\")");

    private static final Pattern INPUT = Pattern.compile("f(\\d+)");

    /** Random grammar tokens, or a valid expression's tokens with up to 2 random edits (so some soups fit). */
    @Provide
    Arbitrary<List<String>> grammarSoup() {
        return Arbitraries.oneOf(Arbitraries.of(GRAMMAR).list().ofMinSize(1).ofMaxSize(25),
                validTokens().flatMap(tokens -> Arbitraries.integers().between(0, 2)
                        .flatMap(edits -> edit(tokens, edits))));
    }

    private Arbitrary<List<String>> validTokens() {
        return condition(2).map(e -> List.of(e.text.split(" ")));
    }

    private Arbitrary<List<String>> edit(List<String> tokens, int edits) {
        if (edits == 0 || tokens.isEmpty()) {
            return Arbitraries.just(tokens);
        }
        return Arbitraries.integers().between(0, tokens.size() - 1).flatMap(at -> Arbitraries.of(GRAMMAR)
                .flatMap(token -> Arbitraries.integers().between(0, 2).flatMap(kind -> {
                    List<String> copy = new ArrayList<>(tokens);
                    switch (kind) {
                        case 0 -> copy.set(at, token);
                        case 1 -> copy.remove((int) at);
                        default -> copy.add(at, token);
                    }
                    return edit(copy, edits - 1);
                })));
    }

    @Provide
    Arbitrary<Tuple.Tuple2<List<String>, Integer>> hostileSoup() {
        Arbitrary<List<String>> any = Arbitraries.oneOf(
                Arbitraries.oneOf(Arbitraries.of(GRAMMAR), Arbitraries.of(HOSTILE)).list().ofMinSize(0).ofMaxSize(25),
                validTokens());
        // make sure at least one hostile token is in: insert one at a random place
        return any.flatMap(list -> Arbitraries.of(HOSTILE).flatMap(h -> Arbitraries.integers()
                .between(0, list.size()).map(at -> {
                    List<String> soup = new ArrayList<>(list);
                    soup.add(at, h);
                    return Tuple.of(soup, at);
                })));
    }

    @Property(tries = 500, edgeCases = EdgeCasesMode.NONE)
    void soupWithAHostileTokenNeverReachesMvelAndPointsAtTheFirstHostileToken(
            @ForAll("hostileSoup") Tuple.Tuple2<List<String>, Integer> soupAndIndex) {
        List<String> soup = soupAndIndex.get1();
        String expression = String.join(" ", soup);
        int firstHostile = -1;
        int offset = 0;
        for (String token : soup) {
            if (HOSTILE.contains(token)) {
                firstHostile = offset;
                break;
            }
            offset += token.length() + 1;
        }
        CountingCompiler mvel = new CountingCompiler();
        try {
            new MvelExpressionCompiler(mvel).compile(expression);
            fail("accepted: " + expression);
        } catch (ExpressionException e) {
            assertEquals(firstHostile, e.position(), () -> expression + " -> " + e.getMessage());
        }
        assertEquals(0, mvel.calls(), () -> "reached MVEL: " + mvel.seen);
    }

    @Property(tries = 400, edgeCases = EdgeCasesMode.NONE) // edge cases of nested flatMaps cost more than they find
    void grammarSoupEitherFailsBeforeMvelOrCompilesToACanonicalFormThatEvaluates(
            @ForAll("grammarSoup") List<String> soup) {
        String expression = String.join(" ", soup);
        CountingCompiler mvel = new CountingCompiler();
        TripCondition condition;
        try {
            condition = new MvelExpressionCompiler(mvel).compile(expression);
        } catch (ExpressionException e) {
            Statistics.collect("refused");
            assertEquals(0, mvel.calls(), () -> "refused yet reached MVEL: " + mvel.seen);
            assertTrue(e.position() >= 0 && e.position() <= expression.length(), e::getMessage);
            return;
        }
        Statistics.collect("compiled");
        assertEquals(1, mvel.calls());
        String canonical = mvel.seen.get(0);
        assertTrue(CanonicalForm.ALPHABET.matcher(canonical).matches(), canonical);
        Matcher m = INPUT.matcher(canonical);
        while (m.find()) {
            assertTrue(Integer.parseInt(m.group(1)) < 64, canonical);
        }
        condition.test(new StubMetrics().networkErrors(0.3).fiveXx(0.2)); // evaluates to a boolean, no exception
    }

    // --- random valid expressions against a reference evaluation in plain Java -----------------------------------

    /** An expression text and its value against {@link #METRICS}. */
    record Expr(String text, double number, boolean condition) {
    }

    private static final StubMetrics METRICS = new StubMetrics().networkErrors(0.25).latencyPerPercent(3).fiveXx(0.4);

    @Provide
    Arbitrary<Expr> conditions() {
        return condition(3);
    }

    private Arbitrary<Expr> number(int depth) {
        Arbitrary<Expr> leaf = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 1000).map(i -> new Expr(Integer.toString(i), i, false)),
                Arbitraries.integers().between(0, 1000).map(i -> new Expr(i / 100 + "." + (i % 100 < 10 ? "0" : "")
                        + i % 100, i / 100.0, false)),
                Arbitraries.just(new Expr("NetworkErrorRatio()", 0.25, false)),
                Arbitraries.integers().between(0, 100).map(q -> new Expr("LatencyAtQuantileMS(" + q + ")",
                        (double) (long) (q * 3.0), false)),
                Arbitraries.just(new Expr("ResponseCodeRatio(500,600,0,600)", 0.4, false)));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<Expr> sub = Arbitraries.lazy(() -> number(depth - 1));
        return Arbitraries.oneOf(leaf,
                sub.map(a -> new Expr("- ( " + a.text + " )", -a.number, false)),
                Arbitraries.of("+", "-", "*").flatMap(op -> sub.flatMap(a -> sub.map(b -> new Expr(
                        "( " + a.text + " ) " + op + " ( " + b.text + " )",
                        op.equals("+") ? a.number + b.number : op.equals("-") ? a.number - b.number
                                : a.number * b.number, false)))),
                Arbitraries.integers().between(1, 9).flatMap(d -> sub.map(a -> new Expr(
                        "( " + a.text + " ) / " + d, a.number / d, false))));
    }

    private Arbitrary<Expr> condition(int depth) {
        Arbitrary<Expr> comparison = Arbitraries.of("==", "!=", "<", "<=", ">", ">=").flatMap(op ->
                number(depth).flatMap(a -> number(depth).map(b -> new Expr(a.text + " " + op + " " + b.text, 0,
                        switch (op) {
                            case "==" -> a.number == b.number;
                            case "!=" -> a.number != b.number;
                            case "<" -> a.number < b.number;
                            case "<=" -> a.number <= b.number;
                            case ">" -> a.number > b.number;
                            default -> a.number >= b.number;
                        }))));
        if (depth == 0) {
            return comparison;
        }
        Arbitrary<Expr> sub = Arbitraries.lazy(() -> condition(depth - 1));
        return Arbitraries.oneOf(comparison,
                sub.map(a -> new Expr("! ( " + a.text + " )", 0, !a.condition)),
                sub.flatMap(a -> sub.map(b -> new Expr("( " + a.text + " ) && ( " + b.text + " )", 0,
                        a.condition && b.condition))),
                sub.flatMap(a -> sub.map(b -> new Expr("( " + a.text + " ) || ( " + b.text + " )", 0,
                        a.condition || b.condition))));
    }

    @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
    void generatedValidExpressionEvaluatesLikeJavaArithmetic(@ForAll("conditions") Expr expr) throws Exception {
        TripCondition condition = new MvelExpressionCompiler().compile(expr.text);
        assertEquals(expr.condition, condition.test(METRICS), expr.text);
    }
}
