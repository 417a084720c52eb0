package dev.switchboard.spi.model;

import java.time.Duration;
import java.util.Map;

/**
 * {@code [backends.B.healthCheck]}: active probes. {@code interval} null means the static default (30 s);
 * {@code port} 0 means the server's; {@code scheme} and {@code hostname} null mean the server's.
 * {@code rise}/{@code fall}: consecutive results needed to change state (1 as in Traefik v1).
 */
public record HealthCheck(String path, Duration interval, Duration timeout, int port, String scheme, String hostname,
                          Map<String, String> headers, int rise, int fall) {
    public HealthCheck {
        headers = Map.copyOf(headers);
    }
}
