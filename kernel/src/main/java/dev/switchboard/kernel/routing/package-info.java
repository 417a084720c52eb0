/**
 * Routing: the seam types the network layer uses ({@link dev.switchboard.kernel.routing.Router},
 * {@link dev.switchboard.kernel.routing.FrontendRoute}, {@link dev.switchboard.kernel.routing.BackendRoute},
 * {@link dev.switchboard.kernel.routing.Upstream}, {@link dev.switchboard.kernel.routing.RouterHolder}) and their
 * implementation: the Traefik v1 rule tokenizer, the {@link dev.switchboard.kernel.routing.RoutingCompiler} that
 * turns a merged configuration into an immutable {@link dev.switchboard.kernel.routing.RoutingTable} (all or
 * nothing, every error located), and the table's index, which always answers as a first-match scan in priority
 * order would.
 */
package dev.switchboard.kernel.routing;
