package dev.switchboard.plugins.balancers;

/**
 * One full period of a weighted round robin, as positions: {@link #at(long)} gives the index of the server picked
 * at position {@code p} of an endless sequence. Immutable; {@link #at} is allocation-free and lock-free.
 */
interface Cycle {
    /** A cycle with no server in it (every weight 0 or no server available). */
    Cycle EMPTY = new Cycle() {
        @Override
        public int at(long position) {
            return -1;
        }

        @Override
        public long length() {
            return 0;
        }
    };

    /** The server index at {@code position} (any non-negative number, taken modulo {@link #length()}), or -1. */
    int at(long position);

    /** Picks per period. */
    long length();
}
