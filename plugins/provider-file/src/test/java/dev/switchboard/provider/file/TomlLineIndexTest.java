package dev.switchboard.provider.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The line index finds the line that defines each key, and never mistakes a value's content for a key. */
class TomlLineIndexTest {

    private static final String TEXT = """
            # comment = not a key
            top = 1
            "quoted \\"key\\"" = 1                 # 3
            lit = '''multi
            line = 9'''
            after = 1                            # 6
            [frontends.f1]                       # 7
              backend = "b"                      # 8
              [frontends.f1.routes.r0]           # 9
                rule = "Host:a.com"              # 10
            [ backends . "with.dot" . servers.s ] # 11
              url = 'http://x'                   # 12
              weight = 1                         # 13
            [backends.b2]                        # 14
            servers.s1.url = "http://y"          # 15
            notes = \"""
            [frontends.fake]
            key = 1
            \"""
            list = [                             # 20
              "[frontends.fake2]",
              # fake = 3
            ]
            inline = { a = { b = 1 } }           # 24
            [[tls]]                              # 25
              entryPoints = ["https"]            # 26
              [tls.certificate]                  # 27
                certFile = "a"                   # 28
            [[tls]]                              # 29
              [tls.certificate]                  # 30
                certFile = "b"                   # 31
            """;

    private final TomlLineIndex index = TomlLineIndex.of(TEXT);

    private int line(Object... path) {
        return index.lineOf(List.of(path));
    }

    @Test
    void tableHeadersAndKeysAreFoundOnTheirLines() {
        assertEquals(2, line("top"));
        assertEquals(7, line("frontends", "f1"));
        assertEquals(8, line("frontends", "f1", "backend"));
        assertEquals(9, line("frontends", "f1", "routes", "r0"));
        assertEquals(10, line("frontends", "f1", "routes", "r0", "rule"));
    }

    @Test
    void implicitParentTablesTakeTheLineOfTheirFirstMention() {
        assertEquals(7, line("frontends"));
        assertEquals(9, line("frontends", "f1", "routes"));
    }

    @Test
    void quotedKeysAndSpacesAroundDotsAreUnderstood() {
        assertEquals(11, line("backends", "with.dot", "servers", "s"));
        assertEquals(12, line("backends", "with.dot", "servers", "s", "url"));
        assertEquals(3, line("quoted \"key\""));
    }

    @Test
    void dottedKeysDefineEachOfTheirPrefixes() {
        assertEquals(15, line("backends", "b2", "servers", "s1", "url"));
        assertEquals(15, line("backends", "b2", "servers"));
    }

    @Test
    void multiLineStringsAndArraysHideTheirContent() {
        assertEquals(16, line("backends", "b2", "notes"));
        assertEquals(0, index.exactLineOf(List.of("frontends", "fake")));
        assertEquals(0, index.exactLineOf(List.of("backends", "b2", "key")));
        assertEquals(20, line("backends", "b2", "list"));
        assertEquals(0, index.exactLineOf(List.of("frontends", "fake2")));
        assertEquals(0, index.exactLineOf(List.of("backends", "b2", "fake")));
        assertEquals(4, line("lit"));
        assertEquals(0, index.exactLineOf(List.of("line")));
        assertEquals(6, line("after"));
    }

    @Test
    void keysInsideInlineTablesFallBackToTheInlineTableLine() {
        assertEquals(24, line("backends", "b2", "inline", "a", "b"));
    }

    @Test
    void arrayOfTablesElementsAreCountedPerHeader() {
        assertEquals(25, line("tls"));
        assertEquals(25, line("tls", 0));
        assertEquals(26, line("tls", 0, "entryPoints"));
        assertEquals(28, line("tls", 0, "certificate", "certFile"));
        assertEquals(29, line("tls", 1));
        assertEquals(30, line("tls", 1, "certificate"));
        assertEquals(31, line("tls", 1, "certificate", "certFile"));
    }

    @Test
    void unknownPathsFallBackToTheNearestDefinedParentOrZero() {
        assertEquals(9, line("frontends", "f1", "routes", "r0", "missing"));
        assertEquals(0, line("nothing"));
    }

    @Test
    void everyKeyOfTheDocumentedExampleIsIndexedOnTheLineThatWritesIt() throws Exception {
        String text = TraefikV1FilesTest.FULL_EXAMPLE;
        TomlLineIndex full = TomlLineIndex.of(text);
        List<String> lines = text.lines().toList();
        JsonNode tree = new TomlMapper().readTree(text);
        List<List<Object>> paths = new ArrayList<>();
        collect(tree, List.of(), paths);
        assertTrue(paths.size() > 100, "the example has many keys");
        for (List<Object> path : paths) {
            int line = full.exactLineOf(path);
            assertTrue(line > 0, "not indexed: " + path);
            Object last = path.get(path.size() - 1);
            if (last instanceof String key) {
                assertTrue(lines.get(line - 1).contains(key), path + " -> line " + line + ": " + lines.get(line - 1));
            }
        }
    }

    private static void collect(JsonNode node, List<Object> path, List<List<Object>> out) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                List<Object> child = KeyPaths.child(path, e.getKey());
                out.add(child);
                collect(e.getValue(), child, out);
            });
        } else if (node.isArray() && node.size() > 0 && node.get(0).isObject()) {
            for (int i = 0; i < node.size(); i++) {
                List<Object> child = KeyPaths.child(path, i);
                out.add(child);
                collect(node.get(i), child, out);
            }
        }
    }

    @Test
    void crlfLineEndingsCountLikeLf() {
        TomlLineIndex crlf = TomlLineIndex.of("a = 1\r\n[t]\r\nb = \"x\"\r\n");
        assertEquals(2, crlf.lineOf(List.of("t")));
        assertEquals(3, crlf.lineOf(List.of("t", "b")));
    }
}
