package dev.switchboard.kernel.routing;

import static dev.switchboard.kernel.testing.Configs.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.model.Configuration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Several providers' configurations merged into one (Traefik v1's per-provider backend lookup kept). */
class ConfigurationMergerTest {

    @Test
    void frontendsAndBackendsOfEveryProviderAreMerged() throws ConfigException {
        Configuration file = config().frontend("site", "web", "Host:a.test").backend("web", "http://127.0.0.1:1")
                .build();
        Configuration etcd = config().frontend("api", "apis", "Host:b.test").backend("apis", "http://127.0.0.1:2")
                .build();
        Configuration merged = ConfigurationMerger.merge(Map.of("file", file, "etcd", etcd));
        assertEquals(java.util.Set.of("site", "api"), merged.frontends().keySet());
        assertEquals(java.util.Set.of("web", "apis"), merged.backends().keySet());
    }

    @Test
    void aBackendNameDefinedByTwoProvidersIsRejectedNamingBoth() {
        Configuration file = config().frontend("site", "web", "Host:a.test").backend("web", "http://127.0.0.1:1")
                .build();
        Configuration etcd = config().frontend("api", "web", "Host:b.test").backend("web", "http://127.0.0.1:2")
                .build();
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigurationMerger.merge(Map.of("file", file, "etcd", etcd)));
        assertEquals(1, e.problems().size(), () -> "one problem, the clash, and nothing about the frontends that use "
                + "the backend each provider defines: " + e.problems());
        String p = e.problems().get(0).toString();
        assertTrue(p.contains("backend 'web' is defined by provider 'etcd'") && p.contains("by provider 'file'"), p);
    }

    @Test
    void aFrontendUsingABackendOfAnotherProviderIsRejectedNamingBothAsTraefikV1ResolvedBackendsPerProvider() {
        Configuration file = config().frontend("site", "web", "Host:a.test").backend("web", "http://127.0.0.1:1")
                .build();
        Configuration etcd = config().frontend("borrower", "web", "Host:b.test").build();
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigurationMerger.merge(Map.of("file", file, "etcd", etcd)));
        assertEquals(1, e.problems().size());
        String p = e.problems().get(0).toString();
        assertTrue(p.contains("frontends.borrower.backend") && p.contains("frontend 'borrower' of provider 'etcd'")
                && p.contains("only provider 'file' defines"), p);
    }

    @Test
    void aSingleProviderIsReturnedAsIs() throws ConfigException {
        Configuration file = config().frontend("site", "web", "Host:a.test").backend("web", "http://127.0.0.1:1")
                .build();
        assertEquals(file, ConfigurationMerger.merge(Map.of("file", file)));
    }
}
