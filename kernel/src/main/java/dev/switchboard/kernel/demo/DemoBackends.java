package dev.switchboard.kernel.demo;

/**
 * The embedded demo backends started by {@code switchboard --demo}: small HTTP servers on loopback, each answering
 * with its own name and an echo of the request it received, at the addresses {@code conf/demo.toml} names.
 * Not on the proxy's data path.
 */
public final class DemoBackends implements AutoCloseable {

    private DemoBackends() {
    }

    /** Starts every demo backend; fails if a port is taken, naming it. */
    public static DemoBackends start() throws java.io.IOException {
        throw new UnsupportedOperationException("not built yet");
    }

    @Override
    public void close() {
    }
}
