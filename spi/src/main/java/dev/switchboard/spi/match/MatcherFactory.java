package dev.switchboard.spi.match;

import org.pf4j.ExtensionPoint;

/**
 * Builds {@link Matcher}s for one rule function, such as {@code Host} or {@code PathPrefix}.
 *
 * <p><b>Name.</b> {@link #name()} is the function name as written in rules (case-sensitive, as in Traefik v1). Two
 * extensions with the same name are a start-up error naming both plugins.
 *
 * <p><b>Threads and lifetime.</b> Called off the event loops, while a configuration is compiled; may be called from
 * several threads at once, so keep it stateless. It may take its time (compile regular expressions here), but must
 * not block on I/O. The matchers it returns live as long as the configuration generation they were built for.
 *
 * <p><b>Errors.</b> Invalid arguments: throw {@link RuleException}; the configuration is rejected with the message,
 * which the kernel completes with frontend, route, file and line. Any other exception is reported the same way,
 * naming the plugin.
 */
public interface MatcherFactory extends ExtensionPoint {

    /** The rule function this factory implements, for example {@code Host}. */
    String name();

    /** Builds the matcher for one clause. Never returns null. */
    Matcher create(RuleClause clause) throws RuleException;
}
