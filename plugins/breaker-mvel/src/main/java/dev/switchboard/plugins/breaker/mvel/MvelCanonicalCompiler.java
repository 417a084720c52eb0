package dev.switchboard.plugins.breaker.mvel;

import org.mvel2.MVEL;
import org.mvel2.ParserConfiguration;
import org.mvel2.ParserContext;

import java.io.Serializable;

/**
 * Compiles a canonical form with MVEL under a fresh, restricted {@link ParserContext}: strict and strong typing, the
 * inputs {@code f0..fn} declared as {@code double}, no import, no variable, no function. A name MVEL cannot type is a
 * compile error rather than a lookup at run time. Compilation is serialized: MVEL has had races when compiling
 * concurrently (mule MULE-7204 shared parser context) and compiling is rare (once per expression per configuration).
 */
final class MvelCanonicalCompiler implements CanonicalCompiler {

    private static final Object LOCK = new Object();

    @Override
    public Serializable compile(String canonical, int inputs) {
        if (!CanonicalForm.ALPHABET.matcher(canonical).matches()) {
            throw new IllegalArgumentException("not a canonical breaker expression: " + canonical);
        }
        ParserConfiguration configuration = new ParserConfiguration();
        configuration.setClassLoader(MvelCanonicalCompiler.class.getClassLoader());
        ParserContext context = new ParserContext(configuration);
        context.setStrictTypeEnforcement(true);
        context.setStrongTyping(true);
        for (int i = 0; i < inputs; i++) {
            context.addInput(CanonicalForm.inputName(i), double.class);
        }
        synchronized (LOCK) {
            return MVEL.compileExpression(canonical, context);
        }
    }
}
