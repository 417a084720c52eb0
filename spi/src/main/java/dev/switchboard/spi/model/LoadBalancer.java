package dev.switchboard.spi.model;

import java.util.Map;

/**
 * {@code [backends.B.loadBalancer]}.
 *
 * @param method     balancer name ({@code wrr} default, {@code drr}, or a plugin's), lower-cased
 * @param sticky     deprecated {@code sticky = true} (cookie {@code _TRAEFIK_BACKEND})
 * @param stickiness the {@code stickiness} section, or null
 * @param options    any other keys of the section, for the balancer plugin (for example {@code smooth = true})
 */
public record LoadBalancer(String method, boolean sticky, Stickiness stickiness, Map<String, Object> options) {
    public static final LoadBalancer DEFAULT = new LoadBalancer("wrr", false, null, Map.of());

    public LoadBalancer {
        method = method == null || method.isBlank() ? "wrr" : method.toLowerCase(java.util.Locale.ROOT);
        options = Map.copyOf(options);
    }

    /** {@code [backends.B.loadBalancer.stickiness]}; a null cookie name means the one Traefik v1 derives. */
    public record Stickiness(String cookieName, boolean secure, boolean httpOnly, String sameSite) {
    }
}
