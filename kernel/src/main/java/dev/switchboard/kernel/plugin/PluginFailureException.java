package dev.switchboard.kernel.plugin;

/** Plugin code failed during a request; already logged (rate-limited). The network layer answers 500. */
public final class PluginFailureException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient ExtensionRef ref;

    public PluginFailureException(ExtensionRef ref, Throwable cause) {
        super(ref + " failed: " + cause, cause, false, false);
        this.ref = ref;
    }

    public ExtensionRef ref() {
        return ref;
    }
}
