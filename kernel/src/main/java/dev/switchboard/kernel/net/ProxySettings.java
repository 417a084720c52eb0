package dev.switchboard.kernel.net;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * Everything the network layer needs from the static configuration. Immutable.
 *
 * @param listeners             one per entry point
 * @param eventLoops            number of selector loops (default: available processors)
 * @param readTimeout           {@code respondingTimeouts.readTimeout}; zero = none
 * @param writeTimeout          {@code respondingTimeouts.writeTimeout}; zero = none
 * @param idleTimeout           {@code respondingTimeouts.idleTimeout} (180 s)
 * @param dialTimeout           {@code forwardingTimeouts.dialTimeout} (30 s)
 * @param responseHeaderTimeout {@code forwardingTimeouts.responseHeaderTimeout}; zero = none
 * @param graceTimeout          {@code lifeCycle.graceTimeOut} / {@code graceTimeOut} (10 s)
 * @param maxHeaderBytes        limit of a request's header section (32 KiB)
 * @param headerReadTimeout     how long a client may take to send a whole request head, counted from its first
 *                              byte (60 s, as nginx's {@code client_header_timeout}); a client trickling a head
 *                              (slowloris) gets 408. Traefik v1 has no such setting; zero = none
 */
public record ProxySettings(List<Listener> listeners, int eventLoops, Duration readTimeout, Duration writeTimeout,
                            Duration idleTimeout, Duration dialTimeout, Duration responseHeaderTimeout,
                            Duration graceTimeout, int maxHeaderBytes, Duration headerReadTimeout) {

    /** Default of {@link #headerReadTimeout()}. */
    public static final Duration DEFAULT_HEADER_READ_TIMEOUT = Duration.ofSeconds(60);

    public ProxySettings {
        listeners = List.copyOf(listeners);
    }

    /** Every setting but the header-read deadline, which gets {@link #DEFAULT_HEADER_READ_TIMEOUT}. */
    public ProxySettings(List<Listener> listeners, int eventLoops, Duration readTimeout, Duration writeTimeout,
                         Duration idleTimeout, Duration dialTimeout, Duration responseHeaderTimeout,
                         Duration graceTimeout, int maxHeaderBytes) {
        this(listeners, eventLoops, readTimeout, writeTimeout, idleTimeout, dialTimeout, responseHeaderTimeout,
                graceTimeout, maxHeaderBytes, DEFAULT_HEADER_READ_TIMEOUT);
    }

    /** Defaults as in Traefik v1, for the given listeners. */
    public static ProxySettings defaults(List<Listener> listeners) {
        return new ProxySettings(listeners, Runtime.getRuntime().availableProcessors(), Duration.ZERO, Duration.ZERO,
                Duration.ofSeconds(180), Duration.ofSeconds(30), Duration.ZERO, Duration.ofSeconds(10), 32 * 1024,
                DEFAULT_HEADER_READ_TIMEOUT);
    }

    /**
     * The number of event loops the proxy runs: {@link #eventLoops()}, or one per available processor when it is not
     * positive. Breakers size their per-loop stripes by it.
     */
    public int loopCount() {
        return eventLoops > 0 ? eventLoops : Runtime.getRuntime().availableProcessors();
    }

    /** A copy with the given timeouts (tests and the launcher's overrides). */
    public ProxySettings withTimeouts(Duration read, Duration write, Duration idle, Duration dial,
                                      Duration responseHeader, Duration headerRead) {
        return new ProxySettings(listeners, eventLoops, read, write, idle, dial, responseHeader, graceTimeout,
                maxHeaderBytes, headerRead);
    }

    /**
     * One entry point's listening socket.
     *
     * @param entryPoint   the entry point name
     * @param address      where to listen (port 0: ephemeral, see {@code ProxyServer.boundPort})
     * @param trustedProxies CIDRs whose X-Forwarded-* fields are kept ({@code forwardedHeaders.trustedIPs});
     *                     {@code insecure = true} is expressed as {@code 0.0.0.0/0} and {@code ::/0}
     */
    public record Listener(String entryPoint, InetSocketAddress address, List<String> trustedProxies) {
        public Listener {
            trustedProxies = List.copyOf(trustedProxies);
        }
    }
}
