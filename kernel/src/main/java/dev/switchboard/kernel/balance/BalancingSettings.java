package dev.switchboard.kernel.balance;

/**
 * What the kernel's balancing features need from the static configuration.
 *
 * @param retryAttempts {@code [retry] attempts}: -1 when there is no {@code [retry]} section (no retries), 0 when it
 *                      sets none (each backend's number of servers, as Traefik v1), else the number of tries in all
 * @param healthChecker the process's health checker, or null to build no health state (the {@code check} command)
 */
public record BalancingSettings(int retryAttempts, HealthChecker healthChecker) {
    /** No retries, no health checks. */
    public static final BalancingSettings NONE = new BalancingSettings(-1, null);
}
