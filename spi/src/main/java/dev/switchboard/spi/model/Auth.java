package dev.switchboard.spi.model;

import java.util.List;

/** {@code auth} section (entry point or frontend): {@code headerField} and one of basic, digest, forward. */
public record Auth(String headerField, Basic basic, Basic digest, Forward forward) {

    /** {@code basic} or {@code digest}: {@code users}, {@code usersFile}, {@code removeHeader}. */
    public record Basic(List<String> users, String usersFile, boolean removeHeader) {
        public Basic {
            users = List.copyOf(users);
        }
    }

    /** {@code forward}: {@code address}, {@code trustForwardHeader}, {@code authResponseHeaders}. */
    public record Forward(String address, boolean trustForwardHeader, List<String> authResponseHeaders) {
        public Forward {
            authResponseHeaders = List.copyOf(authResponseHeaders);
        }
    }
}
