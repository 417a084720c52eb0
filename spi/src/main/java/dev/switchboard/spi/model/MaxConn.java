package dev.switchboard.spi.model;

/** {@code [backends.B.maxConn] amount, extractorFunc} ({@code client.ip}, {@code request.host}, {@code request.header.NAME}). */
public record MaxConn(long amount, String extractorFunc) {
}
