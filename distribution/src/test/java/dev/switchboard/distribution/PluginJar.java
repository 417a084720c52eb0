package dev.switchboard.distribution;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds a third-party PF4J plugin jar at test time, as a plugin author would: sources compiled with the system
 * Java compiler against the jars of the distribution's {@code lib/} (the SPI and PF4J), a manifest with the PF4J
 * plugin attributes, and {@code META-INF/extensions.idx} listing the extension classes (written here rather than
 * by PF4J's annotation processor, so the test states exactly what the jar declares).
 */
final class PluginJar {
    private final String pluginId;
    private String version = "1.0.0";
    private String requires = ">=1.0.0";
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final List<String> extensions = new ArrayList<>();

    private PluginJar(String pluginId) {
        this.pluginId = pluginId;
    }

    static PluginJar withId(String pluginId) {
        return new PluginJar(pluginId);
    }

    PluginJar requires(String range) {
        this.requires = range;
        return this;
    }

    /** Adds one class by its fully qualified name; {@code extension} lists it in {@code extensions.idx}. */
    PluginJar source(String className, boolean extension, String source) {
        sources.put(className, source);
        if (extension) {
            extensions.add(className);
        }
        return this;
    }

    /** A plugin whose only extension is a {@code MatcherFactory} named {@code function}, built from a body. */
    static PluginJar matcher(String pluginId, String packageName, String function, String createBody) {
        String className = packageName + "." + function + "MatcherFactory";
        String source = "package " + packageName + ";\n"
                + "import dev.switchboard.spi.match.*;\n"
                + "import dev.switchboard.spi.http.RequestView;\n"
                + "@org.pf4j.Extension\n"
                + "public final class " + function + "MatcherFactory implements MatcherFactory {\n"
                + "    @Override public String name() { return \"" + function + "\"; }\n"
                + "    @Override public Matcher create(RuleClause clause) throws RuleException {\n"
                + createBody + "\n"
                + "    }\n"
                + "}\n";
        return withId(pluginId).source(className, true, source);
    }

    /** Compiles against {@code distribution}'s {@code lib/} and writes the jar into {@code directory}. */
    Path writeTo(Distribution distribution, Path directory, String fileName) {
        try {
            Path work = Files.createTempDirectory(Distribution.IT_DIR, "plugin-src-");
            Path classes = Files.createDirectories(work.resolve("classes"));
            List<String> files = new ArrayList<>();
            for (Map.Entry<String, String> source : sources.entrySet()) {
                Path file = work.resolve("src").resolve(source.getKey().replace('.', '/') + ".java");
                Files.createDirectories(file.getParent());
                Files.writeString(file, source.getValue(), StandardCharsets.UTF_8);
                files.add(file.toString());
            }
            String classPath = distribution.libJars().stream().map(Path::toString)
                    .collect(Collectors.joining(java.io.File.pathSeparator));
            List<String> arguments = new ArrayList<>(List.of("--release", "17", "-proc:none", "-nowarn",
                    "-classpath", classPath, "-d", classes.toString()));
            arguments.addAll(files);
            JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
            assertTrue(compiler != null, "tests need a JDK (javax.tools compiler), not a JRE");
            java.io.ByteArrayOutputStream diagnostics = new java.io.ByteArrayOutputStream();
            int status = compiler.run(null, diagnostics, diagnostics, arguments.toArray(String[]::new));
            assertTrue(status == 0, "test plugin " + pluginId + " did not compile: " + diagnostics);

            Manifest manifest = new Manifest();
            Attributes main = manifest.getMainAttributes();
            main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
            main.putValue("Plugin-Id", pluginId);
            main.putValue("Plugin-Version", version);
            main.putValue("Plugin-Requires", requires);
            main.putValue("Plugin-Provider", "distribution tests");
            main.putValue("Plugin-Description", "built at test time by " + PluginJar.class.getSimpleName());

            Path jar = directory.resolve(fileName);
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
                 Stream<Path> compiled = Files.walk(classes)) {
                for (Path file : (Iterable<Path>) compiled.filter(Files::isRegularFile).sorted()::iterator) {
                    out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                    Files.copy(file, out);
                    out.closeEntry();
                }
                out.putNextEntry(new JarEntry("META-INF/extensions.idx"));
                write(out, "# Generated by the distribution tests\n" + String.join("\n", extensions) + "\n");
                out.closeEntry();
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }
}
