/**
 * What the kernel adds to a backend's balancer plugin, in Traefik v1's order (reference §3): the {@code maxConn}
 * limit ({@link dev.switchboard.kernel.balance.ConnectionLimiter}, 429), sticky sessions
 * ({@link dev.switchboard.kernel.balance.StickyCookie}), retries of tries that never reached a server (the
 * {@code attempts} of {@link dev.switchboard.kernel.balance.BackendBalancing}, carried out by the connection), and
 * active health checks ({@link dev.switchboard.kernel.balance.HealthChecker}, which takes servers out of and back
 * into the balancer's rotation).
 *
 * <p>Everything here is built with a backend for one configuration generation and is immutable, except the state
 * meant to outlive it: a server's health (kept while the backend has the server) and the {@code maxConn} counts
 * (kept while the section is unchanged). The request path (on the event loops) takes no lock and allocates nothing
 * per request beyond the strings a key or cookie lookup asks of the request; probes run on the health checker's own
 * thread. See {@code docs/balancing.md}.
 */
package dev.switchboard.kernel.balance;
