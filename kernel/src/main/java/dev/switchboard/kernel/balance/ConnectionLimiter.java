package dev.switchboard.kernel.balance;

import dev.switchboard.spi.http.RequestView;
import dev.switchboard.spi.model.MaxConn;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code [backends.B.maxConn]}: at most {@code amount} requests in flight per key (oxy {@code connlimit}, reference
 * §2): the request that would be number {@code amount + 1} for its key is answered 429 with the body
 * {@code max connections reached: amount}.
 *
 * <p>Keys ({@code extractorFunc}): {@code client.ip} is the peer address (whole, so IPv6 works; Traefik v1 cut it at
 * the first ':'); {@code request.host} is the {@code Host} field as sent; {@code request.header.NAME} is that
 * field's first value. Beyond Traefik v1 (traefik/traefik#6965): a request without the header is counted under its
 * client address instead of one key "" shared by every such client.
 *
 * <p>Lock-free: one counter per key in a concurrent map. {@link #tryAcquire} is a lookup and a compare-and-set; a
 * counter that drops to zero retires itself (set to -1) and leaves the map, so idle keys cost nothing, and an
 * acquirer that meets a retired counter makes a fresh one. The caller releases each acquired counter exactly once.
 * Thread-safe; shared by every loop.
 */
public final class ConnectionLimiter {
    /** Prefix of the key of a request without the header named by {@code request.header.NAME}. */
    private static final String NO_HEADER = "\u0000client:";

    private enum Source { CLIENT_IP, HOST, HEADER }

    private final MaxConn config;
    private final long amount;
    private final Source source;
    private final String headerName;
    private final String rejection;
    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();

    /** Requests in flight under one key; -1 once retired (it then leaves the map and is never counted again). */
    public static final class Counter extends AtomicLong {
        private final String key;

        Counter(String key) {
            super(1);
            this.key = key;
        }
    }

    private ConnectionLimiter(MaxConn config, Source source, String headerName) {
        this.config = config;
        this.amount = config.amount();
        this.source = source;
        this.headerName = headerName;
        this.rejection = "max connections reached: " + amount;
    }

    /**
     * The limiter {@code config} asks for, or null when it asks for none ({@code amount} 0 or absent).
     *
     * @throws IllegalArgumentException naming the extractor if it is not one of the three forms
     */
    public static ConnectionLimiter of(MaxConn config) {
        if (config == null || config.amount() <= 0) {
            return null;
        }
        String f = config.extractorFunc() == null ? "" : config.extractorFunc().trim();
        if (f.equals("client.ip")) {
            return new ConnectionLimiter(config, Source.CLIENT_IP, null);
        }
        if (f.equals("request.host")) {
            return new ConnectionLimiter(config, Source.HOST, null);
        }
        if (f.startsWith("request.header.") && f.length() > "request.header.".length()) {
            return new ConnectionLimiter(config, Source.HEADER, f.substring("request.header.".length()));
        }
        throw new IllegalArgumentException("unknown extractorFunc \"" + config.extractorFunc()
                + "\"; expected client.ip, request.host or request.header.NAME");
    }

    /** The configuration it was built from (a reload with an equal one keeps this limiter and its counts). */
    public MaxConn config() {
        return config;
    }

    /** The 429 body: {@code max connections reached: N}, as oxy wrote it. */
    public String rejection() {
        return rejection;
    }

    /** The key {@code request} is counted under. */
    String keyOf(RequestView request) {
        return switch (source) {
            case CLIENT_IP -> request.clientAddress();
            case HOST -> request.rawHost();
            case HEADER -> {
                String v = request.header(headerName);
                yield v != null ? v : NO_HEADER + request.clientAddress();
            }
        };
    }

    /** Counts the request in; the counter to hand back to {@link #release}, or null if it is over the limit. */
    public Counter tryAcquire(RequestView request) {
        String key = keyOf(request);
        while (true) {
            Counter c = counters.get(key);
            if (c == null) {
                Counter fresh = new Counter(key);
                if (counters.putIfAbsent(key, fresh) == null) {
                    return fresh;
                }
                continue;
            }
            long n = c.get();
            if (n < 0) {
                counters.remove(key, c); // retired by its last releaser: make a fresh one
                continue;
            }
            if (n >= amount) {
                return null;
            }
            if (c.compareAndSet(n, n + 1)) {
                return c;
            }
        }
    }

    /** Counts a request out; {@code counter} is what {@link #tryAcquire} returned for it. Exactly once each. */
    public void release(Counter counter) {
        if (counter.decrementAndGet() == 0 && counter.compareAndSet(0, -1)) {
            counters.remove(counter.key, counter);
        }
    }

    /** Requests in flight under {@code key} (tests, metrics). */
    long inFlight(String key) {
        Counter c = counters.get(key);
        return c == null ? 0 : Math.max(0, c.get());
    }

    /** Keys with requests in flight (tests: zero when nothing is in flight). */
    int keys() {
        return counters.size();
    }
}
