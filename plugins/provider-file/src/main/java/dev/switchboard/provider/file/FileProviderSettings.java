package dev.switchboard.provider.file;

import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.config.ConfigProblem;
import dev.switchboard.spi.config.ProviderSettings;
import dev.switchboard.spi.model.Origin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code [file]} section: {@code filename} or {@code directory} (resolved against the main configuration
 * file's folder), {@code watch} (default true, Traefik v1's pointer default). With neither, {@code [frontends]}
 * and {@code [backends]} are read from the main configuration file itself. As in Traefik v1, {@code directory}
 * wins when both are given.
 *
 * @param mode  where the dynamic configuration is read from
 * @param path  the file or directory
 * @param watch whether to follow changes
 */
record FileProviderSettings(Mode mode, Path path, boolean watch) {

    enum Mode { MAIN_FILE, FILE, DIRECTORY }

    /** Keys of Traefik v1's base provider that do nothing for a file provider here. */
    private static final Set<String> ACCEPTED_NOT_BUILT = Set.of("constraints", "trace", "templateversion",
            "debugloggeneratedtemplate"); // lower case: compared ignoring case

    /**
     * Reads the section; unknown or unsupported keys become warnings.
     *
     * @throws ConfigException when a value has the wrong type, or there is nothing to read
     */
    static FileProviderSettings from(ProviderSettings settings, List<ConfigProblem> warnings)
            throws ConfigException {
        TomlLineIndex mainIndex = indexOf(settings.mainConfigFile());
        List<ConfigProblem> errors = new ArrayList<>();
        String filename = null;
        String directory = null;
        boolean watch = true;
        for (Map.Entry<String, Object> e : settings.values().entrySet()) {
            String key = e.getKey();
            Object value = e.getValue();
            Origin origin = originOf(settings, mainIndex, key);
            String fullKey = settings.section() + "." + key;
            // Matched ignoring case, as Traefik v1's TOML decoder matched struct fields.
            switch (key.toLowerCase(java.util.Locale.ROOT)) {
                case "filename", "directory" -> {
                    if (!(value instanceof String s)) {
                        errors.add(new ConfigProblem(origin, fullKey, "expected a path as a string, found " + value));
                    } else if (!s.isBlank()) {
                        if (key.equalsIgnoreCase("filename")) {
                            filename = s;
                        } else {
                            directory = s;
                        }
                    }
                }
                case "watch" -> {
                    if (value instanceof Boolean b) {
                        watch = b;
                    } else {
                        errors.add(new ConfigProblem(origin, fullKey, "expected true or false, found " + value));
                    }
                }
                default -> warnings.add(new ConfigProblem(origin, fullKey,
                        ACCEPTED_NOT_BUILT.contains(key.toLowerCase(java.util.Locale.ROOT))
                        ? "accepted, but not supported by the file provider: ignored"
                        : "unknown key, ignored (expected filename, directory or watch)"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        if ((directory != null || filename != null) && mainIndex != null) {
            // Traefik v1 ignored them silently; a user moving rules out of traefik.toml may have left some behind.
            for (String section : List.of("frontends", "backends")) {
                int line = mainIndex.exactLineOf(List.of(section));
                if (line > 0) {
                    warnings.add(new ConfigProblem(settings.origin().atLine(line), section, "ignored: ["
                            + settings.section() + "] reads " + (directory != null ? "directory " + directory
                            : filename) + ", so the main configuration file's [" + section + "] are not used"));
                }
            }
        }
        Path base = settings.mainConfigFile() == null ? null : settings.mainConfigFile().toAbsolutePath().getParent();
        if (directory != null) {
            if (filename != null) {
                warnings.add(new ConfigProblem(originOf(settings, mainIndex, "filename"),
                        settings.section() + ".filename", "ignored: directory is also set and wins, as in Traefik v1"));
            }
            return new FileProviderSettings(Mode.DIRECTORY, resolve(base, directory), watch);
        }
        if (filename != null) {
            return new FileProviderSettings(Mode.FILE, resolve(base, filename), watch);
        }
        if (settings.mainConfigFile() == null) {
            throw new ConfigException(new ConfigProblem(settings.origin(), settings.section(),
                    "neither filename nor directory is set, and there is no main configuration file to read"
                            + " [frontends] and [backends] from"));
        }
        return new FileProviderSettings(Mode.MAIN_FILE, settings.mainConfigFile(), watch);
    }

    private static Path resolve(Path base, String path) {
        Path p = Path.of(path);
        return base == null || p.isAbsolute() ? p : base.resolve(p).normalize();
    }

    private static TomlLineIndex indexOf(Path mainConfigFile) {
        if (mainConfigFile == null) {
            return null;
        }
        try {
            return TomlLineIndex.of(Files.readString(mainConfigFile, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException unreadable) {
            return null; // the kernel read it already; without it, messages name the section's line
        }
    }

    private static Origin originOf(ProviderSettings settings, TomlLineIndex index, String key) {
        if (index != null) {
            int line = index.exactLineOf(List.of(settings.section(), key));
            if (line > 0) {
                return settings.origin().atLine(line);
            }
        }
        return settings.origin();
    }
}
