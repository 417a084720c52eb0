package dev.switchboard.plugins.breaker.mvel;

import dev.switchboard.spi.breaker.ExpressionException;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts an expression into the tokens of the breaker grammar, and nothing else. A character or word outside the
 * grammar is refused here, with its 0-based position, before anything else looks at the text.
 */
final class Lexer {

    /** Longest accepted expression, in characters. */
    static final int MAX_LENGTH = 2048;
    /** Longest numeric literal, in characters. */
    static final int MAX_NUMBER_LENGTH = 20;
    /** Largest magnitude of a numeric literal. */
    static final double MAX_NUMBER = 1e12;

    enum Kind {
        NUMBER, FUNCTION, LPAREN, RPAREN, COMMA,
        OR("||"), AND("&&"), NOT("!"),
        EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">="),
        PLUS("+"), MINUS("-"), TIMES("*"), DIVIDE("/"),
        END;

        final String symbol;

        Kind() {
            this(null);
        }

        Kind(String symbol) {
            this.symbol = symbol;
        }
    }

    /**
     * One token.
     *
     * @param kind     what it is
     * @param text     as written
     * @param position 0-based offset of its first character
     * @param value    a number's value
     */
    record Token(Kind kind, String text, int position, double value) {
        @Override
        public String toString() {
            return kind == Kind.END ? "end of expression" : "'" + text + "'";
        }
    }

    private Lexer() {
    }

    static List<Token> tokenize(String s) throws ExpressionException {
        if (s == null) {
            throw new ExpressionException("no expression", -1);
        }
        if (s.length() > MAX_LENGTH) {
            throw new ExpressionException("expression longer than " + MAX_LENGTH + " characters (" + s.length()
                    + "); refused at position " + MAX_LENGTH, MAX_LENGTH);
        }
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                i++;
                continue;
            }
            int start = i;
            if (isDigit(c) || (c == '.' && i + 1 < n && isDigit(s.charAt(i + 1)))) {
                i = number(s, i, tokens);
                continue;
            }
            if (Character.isJavaIdentifierStart(c)) {
                while (i < n && Character.isJavaIdentifierPart(s.charAt(i))) {
                    i++;
                }
                String word = s.substring(start, i);
                if (!Grammar.isFunction(word)) {
                    throw error("'" + shorten(word) + "' is not allowed: the only names are "
                            + Grammar.FUNCTIONS_DESCRIPTION, start);
                }
                tokens.add(new Token(Kind.FUNCTION, word, start, 0));
                continue;
            }
            char next = i + 1 < n ? s.charAt(i + 1) : '\0';
            Kind kind;
            int length = 1;
            switch (c) {
                case '(' -> kind = Kind.LPAREN;
                case ')' -> kind = Kind.RPAREN;
                case ',' -> kind = Kind.COMMA;
                case '+' -> kind = Kind.PLUS;
                case '-' -> kind = Kind.MINUS;
                case '*' -> kind = Kind.TIMES;
                case '/' -> {
                    if (next == '/' || next == '*') {
                        throw error("comment '/" + next + "' is not allowed", start);
                    }
                    kind = Kind.DIVIDE;
                }
                case '|' -> {
                    if (next != '|') {
                        throw error("bit operator '|' is not allowed (use '||')", start);
                    }
                    kind = Kind.OR;
                    length = 2;
                }
                case '&' -> {
                    if (next != '&') {
                        throw error("bit operator '&' is not allowed (use '&&')", start);
                    }
                    kind = Kind.AND;
                    length = 2;
                }
                case '=' -> {
                    if (next != '=') {
                        throw error("assignment '=' is not allowed (use '==' to compare)", start);
                    }
                    kind = Kind.EQ;
                    length = 2;
                }
                case '!' -> {
                    kind = next == '=' ? Kind.NE : Kind.NOT;
                    length = next == '=' ? 2 : 1;
                }
                case '<' -> {
                    if (next == '<') {
                        throw error("shift operator '<<' is not allowed", start);
                    }
                    kind = next == '=' ? Kind.LE : Kind.LT;
                    length = next == '=' ? 2 : 1;
                }
                case '>' -> {
                    if (next == '>') {
                        throw error("shift operator '>>' is not allowed", start);
                    }
                    kind = next == '=' ? Kind.GE : Kind.GT;
                    length = next == '=' ? 2 : 1;
                }
                case '.' -> throw error("'.' is not allowed: no property access or method call", start);
                case '"', '\'', '`' -> throw error("string or character literal (" + c + ") is not allowed",
                        start);
                default -> throw error("'" + printable(c) + "' is not allowed in a breaker expression", start);
            }
            tokens.add(new Token(kind, s.substring(start, start + length), start, 0));
            i += length;
        }
        tokens.add(new Token(Kind.END, "", n, 0));
        return tokens;
    }

    /** Decimal digits with at most one '.', as Go's INT and FLOAT literals without exponent, hex or '_'. */
    private static int number(String s, int start, List<Token> tokens) throws ExpressionException {
        int i = start;
        int n = s.length();
        boolean dot = false;
        while (i < n && (isDigit(s.charAt(i)) || (s.charAt(i) == '.' && !dot))) {
            dot |= s.charAt(i) == '.';
            i++;
        }
        // A letter, digit, '_' or second '.' right after a number: 1e9, 0x1F, 1_000, 0.5.getClass(), 1.2.3
        int end = i;
        while (end < n && (Character.isJavaIdentifierPart(s.charAt(end)) || s.charAt(end) == '.')) {
            end++;
        }
        String text = s.substring(start, end);
        if (end > i) {
            throw error("malformed number '" + shorten(text) + "': only decimal digits with an optional "
                    + "fraction are allowed (no exponent, hex, '_' or method call)", start);
        }
        if (text.length() > MAX_NUMBER_LENGTH) {
            throw error("number '" + shorten(text) + "' is longer than " + MAX_NUMBER_LENGTH + " characters",
                    start);
        }
        double value = Double.parseDouble(text);
        if (value > MAX_NUMBER) {
            throw error("number '" + text + "' is larger than " + (long) MAX_NUMBER, start);
        }
        tokens.add(new Token(Kind.NUMBER, text, start, value));
        return end;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static ExpressionException error(String message, int position) {
        return new ExpressionException(message + " at position " + position, position);
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c);
    }
}
