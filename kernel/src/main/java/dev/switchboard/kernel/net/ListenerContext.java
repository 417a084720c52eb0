package dev.switchboard.kernel.net;

/** One entry point as its connections see it. Immutable. */
record ListenerContext(String entryPoint, CidrSet trustedProxies) {
}
