/**
 * The immutable configuration model, mirroring Traefik v1's file format and names: a {@link
 * dev.switchboard.spi.model.Configuration} holds {@link dev.switchboard.spi.model.Frontend}s (rules, priority,
 * entry points) and {@link dev.switchboard.spi.model.Backend}s (servers, load balancer, circuit breaker, health
 * check, ...). Every type is a record: immutable and thread-safe, compared by value (identical snapshots are
 * dropped). Optional sections are null when absent; collections are never null. Each element carries the
 * {@link dev.switchboard.spi.model.Origin} it was read from, which does not take part in equality, so that error
 * messages name file and line.
 */
package dev.switchboard.spi.model;
