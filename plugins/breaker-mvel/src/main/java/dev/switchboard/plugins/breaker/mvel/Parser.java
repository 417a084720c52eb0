package dev.switchboard.plugins.breaker.mvel;

import dev.switchboard.plugins.breaker.mvel.Lexer.Kind;
import dev.switchboard.plugins.breaker.mvel.Lexer.Token;
import dev.switchboard.spi.breaker.ExpressionException;

import java.util.List;

/**
 * Recursive-descent parser of the breaker grammar, with its types checked as it goes:
 *
 * <pre>
 * condition  := and ( '||' and )*
 * and        := comparison ( '&amp;&amp;' comparison )*
 * comparison := sum [ ( '==' | '!=' | '&lt;' | '&lt;=' | '&gt;' | '&gt;=' ) sum ]      -- not chained
 * sum        := product ( ( '+' | '-' ) product )*
 * product    := unary ( ( '*' | '/' ) unary )*
 * unary      := '!' unary | '-' unary | primary
 * primary    := NUMBER | call | '(' condition ')'
 * call       := 'NetworkErrorRatio' '(' ')'
 *             | 'LatencyAtQuantileMS' '(' NUMBER ')'                     -- quantile in percent, 0..100
 *             | 'ResponseCodeRatio' '(' NUMBER ',' NUMBER ',' NUMBER ',' NUMBER ')'   -- whole numbers 0..1000
 * </pre>
 *
 * '&amp;&amp;', '||' and '!' take conditions; comparisons and arithmetic take numbers; the whole must be a condition.
 * Nesting (parentheses and unary operators) is bounded by {@link #MAX_DEPTH}.
 */
final class Parser {

    /** Deepest nesting of parentheses and unary operators. */
    static final int MAX_DEPTH = 32;

    private final List<Token> tokens;
    private int next;
    private int depth;

    private Parser(List<Token> tokens) {
        this.tokens = tokens;
    }

    /** The validated tree of {@code expression}, or an exception naming the offending token and its position. */
    static Node parse(String expression) throws ExpressionException {
        Parser p = new Parser(Lexer.tokenize(expression));
        if (p.peek().kind() == Kind.END) {
            throw Lexer.error("empty expression", 0);
        }
        Node root = p.condition();
        Token end = p.peek();
        if (end.kind() != Kind.END) {
            throw Lexer.error("unexpected " + end + "; expected an operator or the end of the expression",
                    end.position());
        }
        if (!root.isCondition()) {
            throw Lexer.error("the expression is a number, not a condition: compare it, as in "
                    + "'NetworkErrorRatio() > 0.5'; the number starts", root.position());
        }
        return root;
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token take() {
        Token t = tokens.get(next);
        if (t.kind() != Kind.END) {
            next++;
        }
        return t;
    }

    private boolean at(Kind... kinds) {
        Kind k = peek().kind();
        for (Kind candidate : kinds) {
            if (k == candidate) {
                return true;
            }
        }
        return false;
    }

    private Token expect(Kind kind, String what) throws ExpressionException {
        Token t = peek();
        if (t.kind() != kind) {
            throw Lexer.error("unexpected " + t + "; expected " + what, t.position());
        }
        return take();
    }

    /** One level deeper, at {@code opener} (a '(' or a unary operator). */
    private void enter(Token opener) throws ExpressionException {
        if (++depth > MAX_DEPTH) {
            throw Lexer.error(opener + " nests deeper than " + MAX_DEPTH + " levels", opener.position());
        }
    }

    private Node condition() throws ExpressionException {
        Node left = and();
        while (at(Kind.OR)) {
            Token op = take();
            Node right = and();
            left = new Node.Binary(Kind.OR, requireCondition(left, op), requireCondition(right, op),
                    left.position());
        }
        return left;
    }

    private Node and() throws ExpressionException {
        Node left = comparison();
        while (at(Kind.AND)) {
            Token op = take();
            Node right = comparison();
            left = new Node.Binary(Kind.AND, requireCondition(left, op), requireCondition(right, op),
                    left.position());
        }
        return left;
    }

    private Node comparison() throws ExpressionException {
        Node left = sum();
        if (!at(Kind.EQ, Kind.NE, Kind.LT, Kind.LE, Kind.GT, Kind.GE)) {
            return left;
        }
        Token op = take();
        Node right = sum();
        if (at(Kind.EQ, Kind.NE, Kind.LT, Kind.LE, Kind.GT, Kind.GE)) {
            Token second = peek();
            throw Lexer.error("comparisons cannot be chained: " + second + " after " + op + "; use '&&'",
                    second.position());
        }
        return new Node.Binary(op.kind(), requireNumber(left, op), requireNumber(right, op), left.position());
    }

    private Node sum() throws ExpressionException {
        Node left = product();
        while (at(Kind.PLUS, Kind.MINUS)) {
            Token op = take();
            Node right = product();
            left = new Node.Binary(op.kind(), requireNumber(left, op), requireNumber(right, op), left.position());
        }
        return left;
    }

    private Node product() throws ExpressionException {
        Node left = unary();
        while (at(Kind.TIMES, Kind.DIVIDE)) {
            Token op = take();
            Node right = unary();
            if (op.kind() == Kind.DIVIDE && right instanceof Node.Literal l && l.value() == 0) {
                throw Lexer.error("division by zero", right.position());
            }
            left = new Node.Binary(op.kind(), requireNumber(left, op), requireNumber(right, op), left.position());
        }
        return left;
    }

    private Node unary() throws ExpressionException {
        if (at(Kind.NOT, Kind.MINUS)) {
            Token op = take();
            enter(op);
            Node operand = unary();
            depth--;
            if (op.kind() == Kind.NOT) {
                if (!operand.isCondition()) {
                    throw Lexer.error("'!' at position " + op.position() + " applies to a condition, but what "
                            + "follows is a number (write !(… > …))", operand.position());
                }
            } else {
                requireNumber(operand, op);
            }
            return new Node.Unary(op.kind(), operand, op.position());
        }
        return primary();
    }

    private Node primary() throws ExpressionException {
        Token t = peek();
        switch (t.kind()) {
            case NUMBER:
                take();
                return new Node.Literal(t.value(), t.position());
            case FUNCTION:
                return call();
            case LPAREN:
                take();
                enter(t);
                Node inner = condition();
                expect(Kind.RPAREN, "')' closing the '(' at position " + t.position());
                depth--;
                return inner;
            default:
                throw Lexer.error("unexpected " + t + "; expected a number, " + Grammar.FUNCTIONS_DESCRIPTION
                        + ", '!', '-' or '('", t.position());
        }
    }

    private Node call() throws ExpressionException {
        Token name = take();
        Grammar f = Grammar.byName(name.text());
        expect(Kind.LPAREN, "'(' after " + f.name + " (a function call)");
        double[] args = new double[f.arity];
        for (int k = 0; k < f.arity; k++) {
            if (k > 0) {
                expect(Kind.COMMA, "',' then argument " + (k + 1) + " of " + f.name + ", which takes " + f.arity);
            }
            Token a = peek();
            if (a.kind() != Kind.NUMBER) {
                throw Lexer.error("argument " + (k + 1) + " of " + f.name + " must be a number written out, got "
                        + a, a.position());
            }
            take();
            args[k] = checkArgument(f, a);
        }
        if (!at(Kind.RPAREN)) {
            Token t = peek();
            throw Lexer.error("unexpected " + t + "; " + f.name + " takes " + f.arity + " argument"
                    + (f.arity == 1 ? "" : "s") + ", expected ')'", t.position());
        }
        take();
        return new Node.Call(f, args, name.position());
    }

    private static double checkArgument(Grammar f, Token a) throws ExpressionException {
        double v = a.value();
        if (f == Grammar.LATENCY_AT_QUANTILE_MS && v > 100) {
            throw Lexer.error("quantile " + a.text() + " is not a percentage from 0 to 100", a.position());
        }
        if (f == Grammar.RESPONSE_CODE_RATIO && (v != Math.rint(v) || v > Grammar.MAX_CODE)) {
            throw Lexer.error("status code bound " + a.text() + " must be a whole number from 0 to "
                    + Grammar.MAX_CODE, a.position());
        }
        return v;
    }

    private static Node requireCondition(Node n, Token op) throws ExpressionException {
        if (!n.isCondition()) {
            throw Lexer.error(op + " at position " + op.position() + " joins conditions, but its operand is a "
                    + "number (compare it, as in 'NetworkErrorRatio() > 0.5'); the operand starts", n.position());
        }
        return n;
    }

    private static Node requireNumber(Node n, Token op) throws ExpressionException {
        if (n.isCondition()) {
            throw Lexer.error(op + " at position " + op.position() + " takes numbers, but its operand is a "
                    + "condition; the operand starts", n.position());
        }
        return n;
    }
}
