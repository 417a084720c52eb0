package dev.switchboard.kernel.net;

import java.nio.channels.SelectionKey;

/** What a selection key is attached to: a listener, a client connection or an upstream connection. Loop thread only. */
interface IoHandler {

    /** The key is ready for some of its interest operations. */
    void onReady(SelectionKey key) throws Exception;

    /**
     * {@link #onReady} threw: release everything this handler owns. Must not throw; the loop logs the cause once
     * (at debug for I/O errors a peer can cause, at warn otherwise).
     */
    void onFailure(Throwable cause);
}
