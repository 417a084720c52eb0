package dev.switchboard.spi.config;

import dev.switchboard.spi.model.Origin;

/**
 * One error or warning about a configuration: where (file and line), which key, and what is wrong or expected.
 * Printed as {@code file:line: key: message}.
 *
 * @param origin  file and line; {@link Origin#UNKNOWN} if not from a file
 * @param key     the dotted key, for example {@code backends.api.servers.s1.weight}
 * @param message what is wrong and what was expected
 */
public record ConfigProblem(Origin origin, String key, String message) {

    @Override
    public String toString() {
        return origin + ": " + key + ": " + message;
    }
}
