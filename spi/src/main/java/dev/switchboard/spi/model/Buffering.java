package dev.switchboard.spi.model;

/** {@code [backends.B.buffering]}; 0 means unset. */
public record Buffering(long maxRequestBodyBytes, long memRequestBodyBytes, long maxResponseBodyBytes,
                        long memResponseBodyBytes, String retryExpression) {
}
