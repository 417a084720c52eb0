package dev.switchboard.plugins.matchers;

import dev.switchboard.spi.http.RequestView;
import dev.switchboard.spi.match.Matcher;
import dev.switchboard.spi.match.Modifier;

/** A clause that only rewrites ({@code AddPrefix}, {@code ReplacePath}, ...): it matches every request. */
record ModifierOnly(Modifier modifier) implements Matcher {
    @Override
    public boolean matches(RequestView request) {
        return true;
    }
}
