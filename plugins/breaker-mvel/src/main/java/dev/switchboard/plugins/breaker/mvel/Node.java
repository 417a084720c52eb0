package dev.switchboard.plugins.breaker.mvel;

/**
 * The validated syntax tree of a breaker expression. Every node knows whether it is a condition or a number and where
 * it starts in the source; only the parser builds it, and only from the breaker grammar's tokens.
 */
sealed interface Node {

    /** 0-based position of the node's first token. */
    int position();

    /** True for a condition (comparison, logic), false for a number. */
    boolean isCondition();

    /** A numeric literal. */
    record Literal(double value, int position) implements Node {
        @Override
        public boolean isCondition() {
            return false;
        }
    }

    /** One of the three functions with its literal arguments. */
    record Call(Grammar function, double[] args, int position) implements Node {
        @Override
        public boolean isCondition() {
            return false;
        }
    }

    /** {@code !condition} or {@code -number}. */
    record Unary(Lexer.Kind operator, Node operand, int position) implements Node {
        @Override
        public boolean isCondition() {
            return operator == Lexer.Kind.NOT;
        }
    }

    /** Logic, comparison or arithmetic. */
    record Binary(Lexer.Kind operator, Node left, Node right, int position) implements Node {
        @Override
        public boolean isCondition() {
            return switch (operator) {
                case OR, AND, EQ, NE, LT, LE, GT, GE -> true;
                default -> false;
            };
        }
    }
}
