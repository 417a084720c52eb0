package dev.switchboard.spi.model;

/** {@code [frontends.F.routes.NAME] rule = "Host: a.com; PathPrefix: /api"}. */
public record Route(String name, String rule, Origin origin) {
}
