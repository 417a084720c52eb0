package dev.switchboard.provider.file;

import dev.switchboard.spi.model.Origin;
import java.nio.file.Path;
import java.util.List;

/**
 * One TOML file as read for one load: its text and its line index. {@link #name()} is how messages and
 * {@link Origin}s name it.
 */
record SourceFile(Path path, String text, TomlLineIndex index) {

    static SourceFile of(Path path, String text) {
        return new SourceFile(path, text, TomlLineIndex.of(text));
    }

    String name() {
        return path.toString();
    }

    Origin originAt(int line) {
        return new Origin(name(), line);
    }

    /** Where {@code keyPath} was written (or the nearest enclosing table, for keys inside inline tables). */
    Origin originOf(List<Object> keyPath) {
        return originAt(index.lineOf(keyPath));
    }
}
