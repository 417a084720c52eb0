package dev.switchboard.kernel.balance;

import dev.switchboard.spi.balance.Balancer;
import dev.switchboard.spi.model.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether one server of one backend is in rotation, by its health checks; kept across reloads while the backend
 * has the server (same {@code scheme://host:port}). Starts up, as in Traefik v1 (a server is in rotation until a
 * probe fails). {@link #up()} is read by every loop; everything else runs on the health-check thread, apart from
 * {@link #bind}, which the configuration thread calls when a generation is published.
 */
final class ServerHealth {
    private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);

    /** The balancer and server instance of the published generation, told of every change. */
    record Binding(Balancer balancer, Server server) {
    }

    final String backend;
    final String serverKey;
    private volatile boolean up = true;
    private volatile Binding binding;
    volatile ProbeSpec spec;
    /** Set when the spec changed: the thread probes at once instead of at the next due time. */
    volatile boolean rescheduled = true;

    // Health-check thread only.
    long nextDue;
    boolean probing;
    private int successes;
    private int failures;

    ServerHealth(String backend, String serverKey) {
        this.backend = backend;
        this.serverKey = serverKey;
    }

    boolean up() {
        return up;
    }

    void bind(Binding b, ProbeSpec s) {
        binding = b;
        if (!s.equals(spec)) {
            spec = s;
            rescheduled = true;
        }
    }

    Binding binding() {
        return binding;
    }

    /** One probe's result; changes the state after rise/fall consecutive results, logging the change once. */
    void result(boolean healthy, String detail) {
        ProbeSpec s = spec;
        if (healthy) {
            failures = 0;
            successes++;
            if (!up && successes >= s.rise()) {
                change(true, detail, s, successes);
            }
        } else {
            successes = 0;
            failures++;
            if (up && failures >= s.fall()) {
                change(false, detail, s, failures);
            }
        }
    }

    private void change(boolean nowUp, String detail, ProbeSpec s, int consecutive) {
        up = nowUp;
        Binding b = binding;
        String server = b == null ? serverKey : b.server().name() + " (" + b.server().url() + ")";
        if (nowUp) {
            LOG.info("backend {}: server {} is healthy again ({}, {} consecutive); back in rotation", backend,
                    server, detail, consecutive);
        } else {
            LOG.warn("backend {}: server {} failed its health check {} ({}, {} consecutive); out of rotation",
                    backend, server, s.url(), detail, consecutive);
        }
        if (b != null) {
            b.balancer().setAvailable(b.server(), nowUp);
        }
    }
}
