package dev.switchboard.plugins.breaker.mvel;

import java.io.Serializable;

/**
 * The step that hands a {@link CanonicalForm} to MVEL. A seam: tests count its calls to prove that nothing outside the
 * grammar ever reaches MVEL.
 */
@FunctionalInterface
interface CanonicalCompiler {

    /** Compiles {@code canonical} whose inputs are the doubles {@code f0 .. f(inputs-1)}. */
    Serializable compile(String canonical, int inputs);
}
