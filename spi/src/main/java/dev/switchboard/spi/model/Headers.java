package dev.switchboard.spi.model;

import java.util.List;
import java.util.Map;

/**
 * {@code [frontends.F.headers]}: custom request/response headers (an empty value deletes the field) and the
 * security options of Traefik v1 (unrolled/secure). Keys not modelled here are kept in {@code other}.
 */
public record Headers(Map<String, String> customRequestHeaders, Map<String, String> customResponseHeaders,
                      Map<String, String> sslProxyHeaders, List<String> allowedHosts, List<String> hostsProxyHeaders,
                      boolean sslRedirect, boolean sslTemporaryRedirect, String sslHost, boolean sslForceHost,
                      long stsSeconds, boolean stsIncludeSubdomains, boolean stsPreload, boolean forceSTSHeader,
                      boolean frameDeny, String customFrameOptionsValue, boolean contentTypeNosniff,
                      boolean browserXssFilter, String customBrowserXSSValue, String contentSecurityPolicy,
                      String publicKey, String referrerPolicy, boolean isDevelopment, Map<String, Object> other) {
    public Headers {
        customRequestHeaders = Map.copyOf(customRequestHeaders);
        customResponseHeaders = Map.copyOf(customResponseHeaders);
        sslProxyHeaders = Map.copyOf(sslProxyHeaders);
        allowedHosts = List.copyOf(allowedHosts);
        hostsProxyHeaders = List.copyOf(hostsProxyHeaders);
        other = Map.copyOf(other);
    }
}
