package ${package};

import dev.switchboard.spi.http.RequestView;
import dev.switchboard.spi.match.Matcher;
import dev.switchboard.spi.match.MatcherFactory;
import dev.switchboard.spi.match.RuleClause;
import dev.switchboard.spi.match.RuleException;
import java.util.Set;
import org.pf4j.Extension;

/**
 * Rule function {@code ${ruleName}: acme, globex}: matches requests whose {@code X-${ruleName}} field is one of the
 * arguments.
 *
 * <p>{@link #create} runs off the event loops when a configuration is compiled: validate the arguments here and
 * throw {@link RuleException} with a message that says what is wrong. The {@link Matcher} it returns runs on the
 * event loops for every request, from every loop at once: keep it immutable, never block, lock or do I/O in it.
 */
@Extension
public final class ${ruleName}MatcherFactory implements MatcherFactory {

    @Override
    public String name() {
        return "${ruleName}";
    }

    @Override
    public Matcher create(RuleClause clause) throws RuleException {
        if (clause.arguments().isEmpty()) {
            throw new RuleException("${ruleName}: needs at least one value, for example \"${ruleName}: acme\"");
        }
        Set<String> values = Set.copyOf(clause.arguments());
        return request -> {
            String value = request.header("X-${ruleName}");
            return value != null && values.contains(value.trim());
        };
    }
}
