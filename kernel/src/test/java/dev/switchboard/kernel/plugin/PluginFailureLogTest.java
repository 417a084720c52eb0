package dev.switchboard.kernel.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.kernel.testing.CapturedStderr;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PluginFailureLogTest {
    final AtomicLong now = new AtomicLong(1_000);
    final PluginFailureLog log = new PluginFailureLog(now::get);
    final ExtensionRef matcher = new ExtensionRef("matcher", "Host", "core", "plugins/core.jar", "x.Host", null);
    final ExtensionRef balancer = new ExtensionRef("balancer", "wrr", "core", "plugins/core.jar", "x.Wrr", null);

    @Test
    void aFailingExtensionIsLoggedAtMostOncePerMinuteWithTheCountOfTheRest() {
        try (CapturedStderr err = new CapturedStderr()) {
            assertTrue(log.failed(matcher, "matching", new IllegalStateException("boom")));
            now.addAndGet(TimeUnit.SECONDS.toNanos(30));
            assertFalse(log.failed(matcher, "matching", new IllegalStateException("boom")));
            assertFalse(log.failed(matcher, "matching", new IllegalStateException("boom")));
            assertTrue(log.failed(balancer, "picking", new IllegalStateException("other")), "per extension");
            now.addAndGet(TimeUnit.SECONDS.toNanos(31));
            assertTrue(log.failed(matcher, "matching", new IllegalStateException("boom")));
            assertEquals(4, log.failures(matcher));
            assertTrue(err.text().contains("matcher 'Host' of plugin 'core' (plugins/core.jar) failed while matching: "
                    + "java.lang.IllegalStateException: boom (2 more failures in the last minute not logged)"),
                    err.text());
        }
    }
}
