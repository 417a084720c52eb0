package dev.switchboard.spi.model;

import java.net.URI;

/**
 * {@code [backends.B.servers.NAME] url = "http://10.0.0.1:80", weight = 1}. The URL's path is ignored, as in
 * Traefik v1. A weight of 0 counts as 1 unless the static {@code AllowMinWeightZero} is set.
 */
public record Server(String name, URI url, int weight, Origin origin) {

    /** The host to connect to (brackets of an IPv6 literal removed). */
    public String host() {
        String h = url.getHost();
        return h != null && h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
    }

    /** The port to connect to: the URL's, else 443 for https, else 80. */
    public int port() {
        int p = url.getPort();
        return p > 0 ? p : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    }
}
