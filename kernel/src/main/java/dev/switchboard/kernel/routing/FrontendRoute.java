package dev.switchboard.kernel.routing;

import dev.switchboard.spi.match.Modifier;
import java.util.List;

/**
 * A frontend as the network layer needs it once it is chosen. Immutable; shared by every loop.
 */
public interface FrontendRoute {

    /** The frontend name, for logs. */
    String name();

    /** Forward the client's Host field (true) or the server's host:port (false). */
    boolean passHostHeader();

    /** The frontend's modifiers in the order they run (already sorted by {@link Modifier#order()}). */
    List<Modifier> modifiers();

    /** The backend that serves this frontend. */
    BackendRoute backend();
}
