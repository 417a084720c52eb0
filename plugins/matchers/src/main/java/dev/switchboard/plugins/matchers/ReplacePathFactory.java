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
 * {@code ReplacePath: /serve}: the server receives this path instead, and the original one in
 * {@code X-Replaced-Path}. The last argument wins. Matches every request.
 */
@Extension
public final class ReplacePathFactory implements MatcherFactory {
    static final String REPLACED_PATH = "X-Replaced-Path";

    @Override
    public String name() {
        return "ReplacePath";
    }

    @Override
    public Matcher create(RuleClause clause) throws RuleException {
        List<String> args = Arguments.required(clause, "a path");
        String path = args.get(args.size() - 1);
        Arguments.requireSlash(name(), path);
        return new ModifierOnly(new ReplacePath(path));
    }

    private record ReplacePath(String path) implements Modifier {
        @Override
        public int order() {
            return REPLACE_PATH;
        }

        @Override
        public void apply(RequestRewrite request) {
            request.addHeader(REPLACED_PATH, request.path());
            request.setPath(path);
        }
    }
}
