package dev.switchboard.kernel;

/**
 * SIGTERM and SIGINT as a graceful stop that ends the process with status 0 (with only a shutdown hook, the JVM
 * would exit 143/130). Uses {@code sun.misc.Signal} where available; elsewhere the shutdown hook still stops
 * gracefully, with the JVM's exit status.
 */
final class StopSignals {
    private StopSignals() {
    }

    static void install(Runnable onStop) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            Object h = java.lang.reflect.Proxy.newProxyInstance(StopSignals.class.getClassLoader(),
                    new Class<?>[] {handler}, (proxy, method, args) -> {
                        if (method.getName().equals("handle")) {
                            onStop.run();
                        }
                        return null;
                    });
            for (String name : new String[] {"TERM", "INT"}) {
                Object s = signal.getConstructor(String.class).newInstance(name);
                signal.getMethod("handle", signal, handler).invoke(null, s, h);
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // Not available: the shutdown hook does the graceful stop.
        }
    }
}
