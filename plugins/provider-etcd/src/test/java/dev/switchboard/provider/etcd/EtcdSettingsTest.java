package dev.switchboard.provider.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.config.ConfigProblem;
import dev.switchboard.spi.config.ProviderSettings;
import dev.switchboard.spi.model.Origin;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code [etcd]} section: Traefik v1.7's keys, defaults, and the refusals. */
class EtcdSettingsTest {

    private final List<ConfigProblem> warnings = new ArrayList<>();

    private EtcdSettings read(Map<String, Object> values) throws ConfigException {
        return EtcdSettings.from(new ProviderSettings("etcd", values, new Origin("traefik.toml", 12), null, Map.of()),
                warnings);
    }

    @Test
    void emptySectionGivesTraefikDefaults() throws Exception {
        EtcdSettings s = read(Map.of());
        assertEquals(List.of(URI.create("http://127.0.0.1:2379")), s.endpoints());
        assertEquals("/traefik", s.prefix());
        assertTrue(s.watch());
        assertEquals(Duration.ofMillis(100), s.retryMin());
        assertEquals(Duration.ofSeconds(5), s.retryMax());
    }

    @Test
    void severalEndpointsAsACommaListOrAnArray() throws Exception {
        assertEquals(List.of(URI.create("http://10.0.0.1:2379"), URI.create("http://10.0.0.2:2379")),
                read(Map.of("endpoint", "10.0.0.1:2379, 10.0.0.2:2379")).endpoints());
        assertEquals(List.of(URI.create("http://10.0.0.1:2379"), URI.create("https://10.0.0.2:2379")),
                read(Map.of("endpoints", List.of("10.0.0.1:2379", "https://10.0.0.2:2379"))).endpoints());
    }

    @Test
    void apiV2IsRefusedWithAMessageSayingWhatToSet() {
        ConfigException e = assertThrows(ConfigException.class, () -> read(Map.of("useAPIV3", false)));
        ConfigProblem p = e.problems().get(0);
        assertEquals("etcd.useAPIV3", p.key());
        assertEquals(12, p.origin().line());
        assertTrue(p.message().contains("v2 API is not supported") && p.message().contains("useAPIV3 = true"),
                p.message());
    }

    @Test
    void prefixIsNormalizedToALeadingSlashAndNoTrailingOne() throws Exception {
        assertEquals("/fleet/a", read(Map.of("prefix", "fleet/a/")).prefix());
    }

    @Test
    void endpointWithoutPortIsRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> read(Map.of("endpoint", "etcd.local")));
        assertTrue(e.getMessage().contains("expected host:port"), e.getMessage());
    }

    @Test
    void tlsSectionMakesBareEndpointsHttpsAndCertWithoutKeyIsRefused() throws Exception {
        EtcdSettings s = read(Map.of("endpoint", "10.0.0.1:2379", "tls", Map.of("ca", "/etc/ssl/ca.crt")));
        assertEquals(URI.create("https://10.0.0.1:2379"), s.endpoints().get(0));
        ConfigException e = assertThrows(ConfigException.class,
                () -> read(Map.of("tls", Map.of("cert", "/etc/ssl/etcd.crt"))));
        assertEquals("etcd.tls.key", e.problems().get(0).key());
    }

    @Test
    void templateFilenameIsAcceptedWithAWarningThatItIsNotUsed() throws Exception {
        read(Map.of("filename", "etcd.tmpl", "bogus", 1));
        assertTrue(warnings.stream().anyMatch(w -> w.key().equals("etcd.filename")), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.key().equals("etcd.bogus")), warnings.toString());
    }
}
