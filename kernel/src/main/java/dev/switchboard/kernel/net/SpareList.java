package dev.switchboard.kernel.net;

import java.util.function.Supplier;

/**
 * Objects of one event loop kept between uses (a connection's request parser while it is idle, the request of an
 * exchange), so that neither an idle connection nor each request pays for a fresh one. Bounded: beyond
 * {@code capacity} spares, given-back objects are left to the garbage collector. Loop thread only.
 */
final class SpareList<T> {
    private final Object[] free;
    private final Supplier<T> factory;
    private int size;

    SpareList(int capacity, Supplier<T> factory) {
        this.free = new Object[capacity];
        this.factory = factory;
    }

    @SuppressWarnings("unchecked")
    T take() {
        if (size == 0) {
            return factory.get();
        }
        T t = (T) free[--size];
        free[size] = null;
        return t;
    }

    /** Keeps {@code t} for the next {@link #take}; the caller has reset it and holds no reference to it. */
    void give(T t) {
        if (size < free.length) {
            free[size++] = t;
        }
    }

    int size() {
        return size;
    }
}
