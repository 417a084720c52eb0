package dev.switchboard.kernel.routing;

import java.util.function.Supplier;

/**
 * The current {@link Router}, published with one volatile write and read with one volatile read per request.
 * Thread-safe.
 */
public final class RouterHolder implements Supplier<Router> {
    private volatile Router current;

    public RouterHolder(Router initial) {
        this.current = initial;
    }

    public RouterHolder() {
        this(Router.EMPTY);
    }

    @Override
    public Router get() {
        return current;
    }

    /** Makes {@code next} the router for every request that starts from now on. */
    public void publish(Router next) {
        current = next;
    }
}
