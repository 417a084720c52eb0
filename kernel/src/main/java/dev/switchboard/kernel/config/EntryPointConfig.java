package dev.switchboard.kernel.config;

import dev.switchboard.spi.model.Origin;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * {@code [entryPoints.NAME]} as far as it is built.
 *
 * @param name           the entry point name
 * @param address        where to listen (wildcard address when the host part is empty, as in {@code ":80"})
 * @param addressText    the address as written, for listings
 * @param trustedProxies CIDRs (or single addresses) whose {@code X-Forwarded-*} fields are kept; {@code 0.0.0.0/0}
 *                       and {@code ::/0} when {@code forwardedHeaders.insecure = true}. Empty when the
 *                       {@code forwardedHeaders} section is absent: unlike Traefik v1 (which trusted every client
 *                       then), Switchboard trusts nobody by default, so a client cannot spoof them
 * @param origin         where the entry point is defined
 */
public record EntryPointConfig(String name, InetSocketAddress address, String addressText,
                               List<String> trustedProxies, Origin origin) {
    public EntryPointConfig {
        trustedProxies = List.copyOf(trustedProxies);
    }
}
