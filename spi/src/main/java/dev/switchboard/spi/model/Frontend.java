package dev.switchboard.spi.model;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code [frontends.NAME]}: which requests go to which backend.
 *
 * @param name              the frontend name
 * @param entryPoints       entry points it is bound to; empty means the static {@code defaultEntryPoints}
 * @param backend           the backend name
 * @param passHostHeader    forward the client's Host (false: the server URL's host:port; the file provider's default)
 * @param priority          explicit priority; 0 means the summed length of the routes' rules
 * @param routes            {@code [frontends.NAME.routes.R] rule = "..."}, ANDed
 * @param headers           {@code headers} section, or null
 * @param redirect          {@code redirect} section, or null
 * @param errors            {@code errors.NAME} error pages
 * @param rateLimit         {@code ratelimit} section, or null
 * @param auth              {@code auth} section, or null
 * @param whiteList         {@code whiteList} section (or the deprecated {@code whitelistSourceRange}), or null
 * @param passTLSCert       deprecated {@code passTLSCert}
 * @param passTLSClientCert {@code passTLSClientCert} section as raw values, or empty
 * @param origin            where it was defined
 */
public record Frontend(String name, List<String> entryPoints, String backend, boolean passHostHeader, int priority,
                       Map<String, Route> routes, Headers headers, Redirect redirect, Map<String, ErrorPage> errors,
                       RateLimit rateLimit, Auth auth, WhiteList whiteList, boolean passTLSCert,
                       Map<String, Object> passTLSClientCert, Origin origin) {
    public Frontend {
        entryPoints = List.copyOf(entryPoints);
        routes = java.util.Collections.unmodifiableMap(new TreeMap<>(routes));
        errors = java.util.Collections.unmodifiableMap(new TreeMap<>(errors));
        passTLSClientCert = Map.copyOf(passTLSClientCert);
    }

    /** A frontend with only the routing essentials; every optional section absent. */
    public static Frontend of(String name, String backend, Map<String, Route> routes) {
        return new Frontend(name, List.of(), backend, false, 0, routes, null, null, Map.of(), null, null, null, false,
                Map.of(), Origin.UNKNOWN);
    }
}
