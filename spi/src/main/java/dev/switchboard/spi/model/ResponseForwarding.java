package dev.switchboard.spi.model;

import java.time.Duration;

/** {@code [backends.B.responseForwarding] flushInterval} (Traefik v1 default 100 ms). */
public record ResponseForwarding(Duration flushInterval) {
}
