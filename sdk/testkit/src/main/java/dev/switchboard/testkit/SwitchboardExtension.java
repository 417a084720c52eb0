package dev.switchboard.testkit;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One kit for a whole test class, started before the first test and closed after the last:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final SwitchboardExtension PROXY = new SwitchboardExtension(() -> SwitchboardTestKit.builder()
 *         .route("ClientIP: 127.0.0.0/8", "inside"));
 *
 * @Test
 * void loopbackClientIsRoutedInside() {
 *     assertEquals("inside", PROXY.kit().get("/").backend());
 * }
 * }</pre>
 *
 * Register it on a {@code static} field; per-test kits are simpler with try-with-resources.
 */
public final class SwitchboardExtension implements BeforeAllCallback, AfterAllCallback {
    private final Supplier<SwitchboardTestKit.Builder> configuration;
    private SwitchboardTestKit kit;

    public SwitchboardExtension(Supplier<SwitchboardTestKit.Builder> configuration) {
        this.configuration = configuration;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        kit = configuration.get().start();
    }

    /** The running kit (between the class's first and last test). */
    public SwitchboardTestKit kit() {
        if (kit == null) {
            throw new IllegalStateException("the kit runs only while the test class runs; is the field static?");
        }
        return kit;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (kit != null) {
            kit.close();
            kit = null;
        }
    }
}
