package dev.switchboard.kernel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TomlLineIndexTest {
    @Test
    void headersKeysQuotedKeysAndMultilineValuesGetTheirLines() {
        TomlLineIndex i = TomlLineIndex.of("""
                # comment = 1
                a = 1
                list = [
                  "x", # b = 2
                  "y",
                ]
                text = \"\"\"
                c = 3
                \"\"\"
                [frontends."my.front"]
                  backend = "b" # trailing
                  [frontends."my.front".routes.r0]
                  rule = "Host:a;Path:/x=1"
                [[tls]]
                  inline = { x = 1, y = "z" }
                """);
        assertEquals(2, i.lineOf("a"));
        assertEquals(3, i.lineOf("list"));
        assertEquals(0, i.exactLineOf("b"));
        assertEquals(0, i.exactLineOf("c"));
        assertEquals(10, i.lineOf("frontends.my.front"));
        assertEquals(11, i.lineOf("frontends.my.front.backend"));
        assertEquals(13, i.lineOf("frontends.my.front.routes.r0.rule"));
        assertEquals(12, i.lineOf("frontends.my.front.routes.r0.missing"));
        assertEquals(15, i.lineOf("tls.inline.y"));
        assertEquals(11, i.lineOf("FRONTENDS.my.front.Backend"), "case-insensitive as Traefik v1");
    }
}
