package dev.switchboard.kernel.balance;

import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * What one health probe of one server sends and expects: {@code GET target} to {@code address} with the given head,
 * healthy iff it answers a status from 200 to 399 within {@code timeoutNanos}; every {@code intervalNanos};
 * {@code rise} consecutive successes bring a server back, {@code fall} consecutive failures take it out.
 *
 * @param address  where to connect (the server's, with {@code healthCheck.port} if set; unresolved: every probe fails)
 * @param url      what is probed, for logs ({@code http://10.0.0.1:8080/health})
 * @param request  the whole request head, ISO-8859-1
 */
record ProbeSpec(InetSocketAddress address, String url, byte[] request, long intervalNanos, long timeoutNanos,
                 int rise, int fall) {

    @Override
    public boolean equals(Object o) {
        return o instanceof ProbeSpec p && p.address.equals(address) && p.url.equals(url)
                && Arrays.equals(p.request, request) && p.intervalNanos == intervalNanos
                && p.timeoutNanos == timeoutNanos && p.rise == rise && p.fall == fall;
    }

    @Override
    public int hashCode() {
        return url.hashCode() * 31 + Arrays.hashCode(request);
    }

    @Override
    public String toString() {
        return url;
    }
}
