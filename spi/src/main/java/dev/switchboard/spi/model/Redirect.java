package dev.switchboard.spi.model;

/** {@code redirect} section of an entry point or frontend: {@code entryPoint}, or {@code regex} + {@code replacement}. */
public record Redirect(String entryPoint, String regex, String replacement, boolean permanent) {
}
