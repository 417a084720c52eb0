package dev.switchboard.testkit;

import java.util.List;

/**
 * What {@code switchboard check} says about a configuration (see {@link SwitchboardTestKit.Builder#check()}), as
 * text, so that plugin tests depend on the SPI and the kit only, never on kernel types.
 *
 * @param errors   every error as {@code file:line: key: message}; empty when the configuration is valid
 * @param warnings every warning, same form
 * @param listing  entry points, frontends and backends as {@code check} prints them (empty when invalid)
 */
public record CheckReport(List<String> errors, List<String> warnings, List<String> listing) {
    public CheckReport {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
        listing = List.copyOf(listing);
    }

    public boolean valid() {
        return errors.isEmpty();
    }

    /** True if some error contains every one of {@code fragments}: one message naming them all. */
    public boolean hasErrorContaining(String... fragments) {
        return errors.stream().anyMatch(e -> java.util.Arrays.stream(fragments).allMatch(e::contains));
    }

    @Override
    public String toString() {
        return (valid() ? "valid" : "invalid") + "\nerrors:\n  " + String.join("\n  ", errors) + "\nwarnings:\n  "
                + String.join("\n  ", warnings) + "\nlisting:\n  " + String.join("\n  ", listing);
    }
}
