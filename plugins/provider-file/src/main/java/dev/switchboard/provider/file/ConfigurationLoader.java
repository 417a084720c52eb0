package dev.switchboard.provider.file;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.toml.TomlReadFeature;
import dev.switchboard.spi.config.ConfigProblem;
import dev.switchboard.spi.model.Backend;
import dev.switchboard.spi.model.Configuration;
import dev.switchboard.spi.model.Frontend;
import dev.switchboard.spi.model.Origin;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One load of the provider's source: reads the file (or every {@code *.toml} and {@code *.tmpl} of the directory
 * tree, in name order), parses, binds, merges, and checks what spans files (duplicate names, backend references).
 * Stateless apart from the TOML mapper; safe to call from the watcher thread.
 */
final class ConfigurationLoader {

    /**
     * The outcome of a load: every problem, and the configuration (when there are errors: the part that read
     * cleanly, for the kernel's validation only).
     */
    record Result(Configuration configuration, List<ConfigProblem> errors, List<ConfigProblem> warnings,
                  List<Path> files) {
        boolean ok() {
            return errors.isEmpty();
        }
    }

    // Thread-safe once built, and costly to build: one per plugin class loader.
    private static final TomlMapper MAPPER = TomlMapper.builder().enable(TomlReadFeature.PARSE_JAVA_TIME).build();
    private final FileProviderSettings settings;

    ConfigurationLoader(FileProviderSettings settings) {
        this.settings = settings;
    }

    Result load() {
        Diagnostics diagnostics = new Diagnostics();
        List<Path> files = new ArrayList<>();
        if (settings.mode() == FileProviderSettings.Mode.DIRECTORY) {
            try {
                collect(settings.path(), files);
            } catch (IOException e) {
                diagnostics.error(new Origin(settings.path().toString(), 0), "file.directory",
                        "cannot list the directory: " + describe(e));
            }
            if (files.isEmpty() && !diagnostics.hasErrors()) {
                diagnostics.warn(new Origin(settings.path().toString(), 0), "file.directory",
                        "no *.toml file in this directory: the configuration is empty");
            }
        } else {
            files.add(settings.path());
        }

        Map<String, Frontend> frontends = new LinkedHashMap<>();
        Map<String, Backend> backends = new LinkedHashMap<>();
        List<TraefikFileBinder.BackendReference> references = new ArrayList<>();
        boolean allParsed = true;
        for (Path path : files) {
            TraefikFileBinder.Bound bound = loadFile(path, diagnostics);
            if (bound == null) {
                allParsed = false;
                continue;
            }
            mergeInto(frontends, bound.frontends(), "frontend", "frontends", Frontend::origin, diagnostics);
            mergeInto(backends, bound.backends(), "backend", "backends", Backend::origin, diagnostics);
            references.addAll(bound.references());
        }
        if (allParsed) {
            for (TraefikFileBinder.BackendReference ref : references) {
                if (!backends.containsKey(ref.backend())) {
                    diagnostics.error(ref.origin(), ref.key(), "backend '" + ref.backend() + "' is not defined"
                            + (backends.isEmpty() ? " (no backend is)" : ": expected one of "
                            + String.join(", ", backends.keySet())));
                }
            }
        }
        List<ConfigProblem> errors = sorted(diagnostics.errors(), files);
        List<ConfigProblem> warnings = sorted(diagnostics.warnings(), files);
        Configuration configuration = new Configuration(frontends, backends);
        return new Result(configuration, errors, warnings, List.copyOf(files));
    }

    /** Reads, parses and binds one file; null if it cannot be read or parsed (reported). */
    private TraefikFileBinder.Bound loadFile(Path path, Diagnostics diagnostics) {
        Origin fileOrigin = new Origin(path.toString(), 0);
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            diagnostics.error(fileOrigin, keyOfSource(), "cannot read the file: " + describe(e));
            return null;
        }
        SourceFile file = SourceFile.of(path, text);
        if (path.getFileName().toString().endsWith(".tmpl")) {
            int at = text.indexOf("{{");
            if (at >= 0) {
                int line = (int) text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
                diagnostics.error(file.originAt(line), keyOfSource(), "Go templates are not supported: Traefik v1"
                        + " ran *.tmpl files through text/template; generate the TOML first, or rename the file"
                        + " to .toml once it holds plain TOML");
                return null;
            }
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String message = e.getOriginalMessage();
            int line = at == null ? 0 : at.getLineNr();
            diagnostics.error(file.originAt(Math.max(line, 0)), "(syntax)", "TOML syntax error: " + message
                    + (at != null && at.getColumnNr() > 0 ? " (column " + at.getColumnNr() + ")" : ""));
            return null;
        } catch (RuntimeException e) {
            diagnostics.error(fileOrigin, "(syntax)", "cannot parse the file as TOML: " + e.getMessage());
            return null;
        }
        if (!(tree instanceof ObjectNode root)) {
            return new TraefikFileBinder.Bound(Map.of(), Map.of(), List.of());
        }
        return TraefikFileBinder.bind(root, file, settings.mode() == FileProviderSettings.Mode.MAIN_FILE,
                diagnostics);
    }

    private String keyOfSource() {
        return settings.mode() == FileProviderSettings.Mode.DIRECTORY ? "file.directory"
                : settings.mode() == FileProviderSettings.Mode.FILE ? "file.filename" : "(file)";
    }

    /**
     * Adds {@code more} to {@code into}; a name already defined (in another file of the directory) is an error
     * naming both places. Traefik v1 kept the first silently, which hid typos and copy-paste mistakes.
     */
    private static <T> void mergeInto(Map<String, T> into, Map<String, T> more, String kind, String section,
                                      java.util.function.Function<T, Origin> origin, Diagnostics diagnostics) {
        more.forEach((name, value) -> {
            T first = into.putIfAbsent(name, value);
            if (first != null) {
                diagnostics.error(origin.apply(value), KeyPaths.render(List.of(section, name)), kind + " '" + name
                        + "' is already defined at " + origin.apply(first) + ": each name may be defined once"
                        + " across the directory (Traefik v1 silently kept the first)");
            }
        });
    }

    /** Walks the directory tree in name order, as Traefik v1 did; hidden entries (editor files) are skipped. */
    private static void collect(Path directory, List<Path> out) throws IOException {
        List<Path> entries;
        try (Stream<Path> list = Files.list(directory)) {
            entries = list.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        }
        for (Path p : entries) {
            String name = p.getFileName().toString();
            if (name.startsWith(".")) {
                continue;
            }
            if (Files.isDirectory(p)) {
                collect(p, out);
            } else if (isConfigFileName(name) && Files.isRegularFile(p)) {
                out.add(p);
            }
        }
    }

    static boolean isConfigFileName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return !name.startsWith(".") && (lower.endsWith(".toml") || lower.endsWith(".tmpl"));
    }

    private static List<ConfigProblem> sorted(List<ConfigProblem> problems, List<Path> files) {
        List<String> order = files.stream().map(Path::toString).toList();
        List<ConfigProblem> out = new ArrayList<>(problems);
        out.sort(Comparator.comparingInt((ConfigProblem p) -> {
            int i = order.indexOf(p.origin().file());
            return i < 0 ? -1 : i;
        }).thenComparingInt(p -> p.origin().line()));
        return List.copyOf(out);
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "not found";
        }
        if (e instanceof CharacterCodingException) {
            return "not UTF-8 text";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
