package dev.switchboard.plugins.breaker.mvel;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The text MVEL compiles, printed from a validated {@link Node} tree: fully parenthesized, every function call
 * replaced by an input variable {@code f0, f1, ...} of type double, every literal a plain decimal. Its alphabet is
 * {@link #ALPHABET}: no name other than those variables, no '.', no quote, no bracket; nothing in it can name a class,
 * a method or a property, whatever the source expression was.
 *
 * @param text  the MVEL source
 * @param calls the call behind each input variable, by index
 */
record CanonicalForm(String text, List<Node.Call> calls) {

    /** Everything a canonical form may contain (checked again before MVEL sees it: defence in depth). */
    static final Pattern ALPHABET = Pattern.compile("[f0-9.() <>=!&|+\\-*/]*");

    static CanonicalForm of(Node root) {
        List<Node.Call> calls = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        print(root, sb, calls);
        return new CanonicalForm(sb.toString(), List.copyOf(calls));
    }

    static String inputName(int index) {
        return "f" + index;
    }

    private static void print(Node n, StringBuilder sb, List<Node.Call> calls) {
        if (n instanceof Node.Literal l) {
            String plain = BigDecimal.valueOf(l.value()).toPlainString();
            sb.append(plain.indexOf('.') < 0 ? plain + ".0" : plain); // always a double literal
        } else if (n instanceof Node.Call c) {
            sb.append(inputName(calls.size()));
            calls.add(c);
        } else if (n instanceof Node.Unary u) {
            if (u.operator() == Lexer.Kind.NOT) {
                sb.append("!(");
                print(u.operand(), sb, calls);
                sb.append(')');
            } else {
                sb.append("(0.0 - "); // MVEL's unary minus has had parsing quirks; a subtraction has none
                print(u.operand(), sb, calls);
                sb.append(')');
            }
        } else if (n instanceof Node.Binary b) {
            sb.append('(');
            print(b.left(), sb, calls);
            sb.append(' ').append(b.operator().symbol).append(' ');
            print(b.right(), sb, calls);
            sb.append(')');
        }
    }
}
