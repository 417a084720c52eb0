package dev.switchboard.plugins.matchers;

import dev.switchboard.spi.match.Matcher;
import dev.switchboard.spi.match.MatcherFactory;
import dev.switchboard.spi.match.Modifier;
import dev.switchboard.spi.match.RequestRewrite;
import dev.switchboard.spi.match.RuleClause;
import dev.switchboard.spi.match.RuleException;
import java.util.List;
import org.pf4j.Extension;

/**
 * {@code AddPrefix: /api}: the server receives the prefix followed by the path. With several arguments the last one
 * wins, as in Traefik v1. Matches every request.
 */
@Extension
public final class AddPrefixFactory implements MatcherFactory {
    @Override
    public String name() {
        return "AddPrefix";
    }

    @Override
    public Matcher create(RuleClause clause) throws RuleException {
        List<String> args = Arguments.required(clause, "a path prefix");
        String prefix = args.get(args.size() - 1);
        Arguments.requireSlash(name(), prefix);
        return new ModifierOnly(new AddPrefix(prefix));
    }

    private record AddPrefix(String prefix) implements Modifier {
        @Override
        public int order() {
            return ADD_PREFIX;
        }

        @Override
        public void apply(RequestRewrite request) {
            request.setPath(prefix + request.path());
        }
    }
}
