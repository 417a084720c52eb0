package dev.switchboard.plugins.breaker.mvel;

import dev.switchboard.spi.breaker.ExpressionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Expressions that try to run code, reach classes, loop, or exhaust the parser: each is refused at load with the
 * offending token and its position, and none reaches MVEL.
 */
class HostileExpressionsTest {

    private final CountingCompiler mvel = new CountingCompiler();
    private final MvelExpressionCompiler compiler = new MvelExpressionCompiler(mvel);

    @AfterEach
    void nothingReachedMvel() {
        assertEquals(0, mvel.calls(), () -> "reached MVEL: " + mvel.seen);
    }

    static Stream<Arguments> corpus() {
        return Stream.of(
                // expression, 0-based position of the offending token, text the message must contain
                arguments("Runtime.getRuntime().exec(\"x\")", 0, "'Runtime'"),
                arguments("System.exit(0)", 0, "'System'"),
                arguments("new java.io.File(\"/\")", 0, "'new'"),
                arguments("java.lang.Runtime", 0, "'java'"),
                arguments("''.getClass().forName(\"x\")", 0, "string or character literal"),
                arguments("NetworkErrorRatio().getClass()", 19, "'.'"),
                arguments("NetworkErrorRatio().class", 19, "'.'"),
                arguments("a = 1", 0, "'a'"),
                arguments("NetworkErrorRatio() = 1", 20, "assignment '='"),
                arguments("while(true){}", 0, "'while'"),
                arguments("def f(){}", 0, "'def'"),
                arguments("import java.io.*", 0, "'import'"),
                arguments("1e99999999", 0, "'1e99999999'"),
                arguments("NetworkErrorRatio() > 1e3", 22, "'1e3'"),
                arguments("0x1F > 1", 0, "'0x1F'"),
                arguments("1_000 > 1", 0, "'1_000'"),
                arguments("0.5.getClass() > 1", 0, "'0.5.getClass'"),
                arguments("99999999999999999999999 > 1", 0, "longer than 20"),
                arguments("9999999999999 > 1", 0, "larger than"),
                arguments("NetworkErrorRatio() > 0.5; System.exit(0)", 25, "';'"),
                arguments("@Foo", 0, "'@'"),
                arguments("$x > 1", 0, "'$x'"),
                arguments("${jndi:ldap://x}", 0, "'$'"),
                arguments("#{1} > 0", 0, "'#'"),
                arguments("NetworkErrorRatio()[0] > 1", 19, "'['"),
                arguments("{1} > 0", 0, "'{'"),
                arguments("NetworkErrorRatio() > 0.5 ? 1 : 0", 26, "'?'"),
                arguments("NetworkErrorRatio() > 0.5 | NetworkErrorRatio() > 0.6", 26, "'|'"),
                arguments("NetworkErrorRatio() > 0.5 & NetworkErrorRatio() > 0.6", 26, "'&'"),
                arguments("1 ^ 2 > 0", 2, "'^'"),
                arguments("~1 > 0", 0, "'~'"),
                arguments("NetworkErrorRatio() >> 1 > 0", 20, "'>>'"),
                arguments("1 << 2 > 0", 2, "'<<'"),
                arguments("5 % 2 > 0", 2, "'%'"),
                arguments("NetworkErrorRatio() instanceof Object", 20, "'instanceof'"),
                arguments("\"NetworkErrorRatio() > 0.5\"", 0, "string or character literal"),
                arguments("NetworkErrorRatio() > 0.5 && Thread.sleep(100000) == 1", 29, "'Thread'"),
                arguments("Math.max(1, 2) > 1", 0, "'Math'"),
                arguments("T(java.lang.Runtime) > 1", 0, "'T'"),
                arguments("networkErrorRatio() > 0.5", 0, "'networkErrorRatio'"),
                arguments("\uff2eetworkErrorRatio() > 0.5", 0, "is not allowed"),
                arguments("NetworkErrorRatio() > 0.5 \u0000", 26, "\\u0000"),
                arguments("NetworkErrorRatio > 0.5", 18, "'>'"),
                arguments("NetworkErrorRatio(1) > 0.5", 18, "takes 0 arguments"),
                arguments("LatencyAtQuantileMS(NetworkErrorRatio()) > 1", 20, "must be a number written out"),
                arguments("LatencyAtQuantileMS(-1) > 1", 20, "must be a number written out"),
                arguments("LatencyAtQuantileMS(150) > 1", 20, "quantile 150"),
                arguments("ResponseCodeRatio(500, 600) > 0.5", 26, "expected ','"),
                arguments("ResponseCodeRatio(500.5, 600, 0, 600) > 0.5", 18, "500.5"),
                arguments("ResponseCodeRatio(500, 600, 0, 6000) > 0.5", 31, "6000"),
                arguments("NetworkErrorRatio() > 0.5 /* comment */", 26, "comment '/*'"),
                arguments("NetworkErrorRatio() > 0.5 // comment", 26, "comment '//'"),
                arguments("NetworkErrorRatio() > 0.5 && (", 30, "end of expression"),
                arguments("NetworkErrorRatio() > 0.5)", 25, "')'"),
                arguments("", 0, "empty"),
                arguments("   ", 0, "empty"),
                arguments("1 < 2 < 3", 6, "chained"),
                arguments("!NetworkErrorRatio() > 0.5", 1, "'!' at position 0"),
                arguments("NetworkErrorRatio() && 1 > 0", 0, "'&&' at position 20"),
                arguments("(1 > 0) + 1 > 0", 1, "'+' at position 8"),
                arguments("NetworkErrorRatio() + 1", 0, "not a condition"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("corpus")
    void refusedWithTheOffendingTokenAndItsPosition(String expression, int position, String mentioned) {
        ExpressionException e = assertThrows(ExpressionException.class, () -> compiler.compile(expression));
        assertEquals(position, e.position(), e::getMessage);
        assertTrue(e.getMessage().contains(mentioned), () -> "message lacks " + mentioned + ": " + e.getMessage());
        assertTrue(e.getMessage().contains("at position " + position), e::getMessage);
    }

    @Test
    void hundredThousandCharacterExpressionIsRefusedWithoutBeingParsed() {
        String clause = "NetworkErrorRatio() > 0.5 || ";
        String huge = clause.repeat(100_000 / clause.length() + 1).substring(0, 100_000);
        ExpressionException e = assertThrows(ExpressionException.class, () -> compiler.compile(huge));
        assertEquals(Lexer.MAX_LENGTH, e.position());
        assertTrue(e.getMessage().contains("longer than 2048 characters"), e.getMessage());
    }

    @Test
    void deeplyNestedParenthesesAreRefusedAtTheFirstTooDeepOne() {
        String deep = "(".repeat(10_00) + "NetworkErrorRatio() > 0.5" + ")".repeat(1000);
        ExpressionException e = assertThrows(ExpressionException.class, () -> compiler.compile(deep));
        assertEquals(Parser.MAX_DEPTH, e.position(), e::getMessage);
        assertTrue(e.getMessage().contains("'(' nests deeper than 32"), e.getMessage());
    }

    @Test
    void longChainsOfUnaryOperatorsAreRefusedToo() {
        ExpressionException e = assertThrows(ExpressionException.class,
                () -> compiler.compile("!".repeat(500) + "(NetworkErrorRatio() > 0.5)"));
        assertEquals(Parser.MAX_DEPTH, e.position(), e::getMessage);
        ExpressionException minus = assertThrows(ExpressionException.class,
                () -> compiler.compile("-".repeat(500) + "1 > 0"));
        assertEquals(Parser.MAX_DEPTH, minus.position(), minus::getMessage);
    }

    @Test
    void nestingUpToTheBoundIsAccepted() throws Exception {
        CountingCompiler counting = new CountingCompiler();
        String ok = "(".repeat(Parser.MAX_DEPTH) + "NetworkErrorRatio() > 0.5" + ")".repeat(Parser.MAX_DEPTH);
        new MvelExpressionCompiler(counting).compile(ok);
        assertEquals(1, counting.calls());
    }
}
