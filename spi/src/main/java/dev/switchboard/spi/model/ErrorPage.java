package dev.switchboard.spi.model;

import java.util.List;

/** {@code [frontends.F.errors.NAME] status = ["500-599"], backend, query = "/{status}.html"}. */
public record ErrorPage(String name, List<String> status, String backend, String query) {
    public ErrorPage {
        status = List.copyOf(status);
    }
}
