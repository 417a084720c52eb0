package dev.switchboard.provider.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.model.Backend;
import dev.switchboard.spi.model.Configuration;
import dev.switchboard.spi.model.Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Generated configurations written in the three TOML styles users mix (table headers, dotted keys, inline
 * tables), with names that need quoting: each loads into exactly the servers written, and each backend and server
 * remembers the line that names it.
 */
class GeneratedFilesTest {

    enum Style { HEADERS, DOTTED, INLINE }

    record GenServer(String name, int octet, int weight) {
    }

    record GenBackend(String name, Style style, List<GenServer> servers) {
    }

    /**
     * The expected-line key of a server. The separator is outside the names' alphabet: with "/" a backend named
     * "é/a" and server "a" of backend "é" would share a key.
     */
    private static String serverKey(GenBackend b, GenServer s) {
        return b.name() + "\u0001" + s.name();
    }

    @Provide
    Arbitrary<String> names() {
        Arbitrary<String> bare = Arbitraries.strings().withChars("abcXYZ019_-").ofMinLength(1).ofMaxLength(8);
        Arbitrary<String> quoted = Arbitraries.strings().withChars("ab. :é/").ofMinLength(1).ofMaxLength(6);
        return Arbitraries.oneOf(bare, quoted);
    }

    @Provide
    Arbitrary<List<GenBackend>> backends() {
        Arbitrary<GenServer> server = Combinators.combine(names(), Arbitraries.integers().between(1, 254),
                Arbitraries.integers().between(0, 100)).as(GenServer::new);
        Arbitrary<GenBackend> backend = Combinators.combine(names(), Arbitraries.of(Style.class),
                server.list().ofMinSize(1).ofMaxSize(3).uniqueElements(GenServer::name)).as(GenBackend::new);
        return backend.list().ofMinSize(1).ofMaxSize(4).uniqueElements(GenBackend::name);
    }

    @Property(tries = 60)
    void generatedFilesLoadTheServersWrittenWithTheirLines(@ForAll("backends") List<GenBackend> backends)
            throws Exception {
        StringBuilder toml = new StringBuilder("# generated\n");
        Map<String, Integer> expectedLines = new LinkedHashMap<>();
        // Root-level keys (dotted, inline) must come before the first [header]: after it they belong to that table.
        List<GenBackend> written = backends.stream()
                .sorted(java.util.Comparator.comparing(b -> b.style() == Style.HEADERS)).toList();
        for (GenBackend b : written) {
            String bk = "backends." + quote(b.name());
            switch (b.style()) {
                case HEADERS -> {
                    for (GenServer s : b.servers()) {
                        expectedLines.putIfAbsent(b.name(), lineOf(toml));
                        expectedLines.put(serverKey(b, s), lineOf(toml));
                        toml.append('[').append(bk).append(".servers.").append(quote(s.name())).append("]\n")
                                .append("  url = \"http://10.0.0.").append(s.octet()).append(":80\"\n")
                                .append("  weight = ").append(s.weight()).append("\n\n");
                    }
                }
                case DOTTED -> {
                    for (GenServer s : b.servers()) {
                        expectedLines.putIfAbsent(b.name(), lineOf(toml));
                        expectedLines.put(serverKey(b, s), lineOf(toml));
                        String sk = bk + ".servers." + quote(s.name());
                        toml.append(sk).append(".url = \"http://10.0.0.").append(s.octet()).append(":80\"\n")
                                .append(sk).append(" . weight = ").append(s.weight()).append('\n');
                    }
                }
                case INLINE -> {
                    expectedLines.put(b.name(), lineOf(toml));
                    StringBuilder inline = new StringBuilder();
                    for (GenServer s : b.servers()) {
                        expectedLines.put(serverKey(b, s), lineOf(toml));
                        inline.append(inline.length() == 0 ? "" : ", ").append(quote(s.name()))
                                .append(" = { url = \"http://10.0.0.").append(s.octet()).append(":80\", weight = ")
                                .append(s.weight()).append(" }");
                    }
                    toml.append(bk).append(".servers = { ").append(inline).append(" }\n");
                }
            }
        }

        Path dir = Files.createTempDirectory("generated");
        Path rules = dir.resolve("rules.toml");
        try {
            Files.writeString(rules, toml);
            RecordingContext context = RecordingContext.fileSection(null, Map.of("filename", rules.toString()));
            new FileProvider().check(context);
            Configuration c = context.onlySnapshot();
            assertEquals(backends.size(), c.backends().size(), toml.toString());
            for (GenBackend b : backends) {
                Backend backend = c.backends().get(b.name());
                assertEquals(expectedLines.get(b.name()), backend.origin().line(), b.name() + " in\n" + toml);
                assertEquals(b.servers().size(), backend.servers().size());
                for (GenServer s : b.servers()) {
                    Server server = backend.servers().get(s.name());
                    assertEquals("10.0.0." + s.octet(), server.host());
                    assertEquals(s.weight(), server.weight());
                    assertEquals(expectedLines.get(serverKey(b, s)), server.origin().line(),
                            b.name() + "/" + s.name() + " in\n" + toml);
                }
            }
            assertTrue(context.warnings.isEmpty(), context.warningText());
        } finally {
            Files.deleteIfExists(rules);
            Files.delete(dir);
        }
    }

    private static int lineOf(StringBuilder toml) {
        return (int) toml.chars().filter(ch -> ch == '\n').count() + 1;
    }

    private static String quote(String key) {
        return key.matches("[A-Za-z0-9_-]+") ? key : "\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
