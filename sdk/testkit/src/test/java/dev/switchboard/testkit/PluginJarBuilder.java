package dev.switchboard.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds a PF4J plugin jar at test time, as the SDK's parent POM would: sources compiled against the test class path
 * (the SPI), the manifest, {@code META-INF/extensions.idx}, and library jars shaded in.
 */
final class PluginJarBuilder {
    private final String id;
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final List<String> extensions = new ArrayList<>();
    private final List<Path> libraries = new ArrayList<>();

    private PluginJarBuilder(String id) {
        this.id = id;
    }

    static PluginJarBuilder plugin(String id) {
        return new PluginJarBuilder(id);
    }

    PluginJarBuilder source(String className, String code) {
        sources.put(className, code);
        return this;
    }

    /** An extension class by binary name ({@code pkg.Outer$Inner}). */
    PluginJarBuilder extension(String binaryName) {
        extensions.add(binaryName);
        return this;
    }

    /** Shades the classes of {@code jar} into the plugin. */
    PluginJarBuilder library(Path jar) {
        libraries.add(jar);
        return this;
    }

    Path writeTo(Path dir) {
        try {
            Path work = Files.createTempDirectory("plugin-" + id);
            Path classes = Files.createDirectories(work.resolve("classes"));
            List<String> files = new ArrayList<>();
            for (Map.Entry<String, String> e : sources.entrySet()) {
                Path f = work.resolve("src").resolve(e.getKey().replace('.', '/') + ".java");
                Files.createDirectories(f.getParent());
                Files.writeString(f, e.getValue());
                files.add(f.toString());
            }
            compile(files, classes);
            Manifest mf = new Manifest();
            Attributes a = mf.getMainAttributes();
            a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
            a.putValue("Plugin-Id", id);
            a.putValue("Plugin-Version", "1.0.0");
            a.putValue("Plugin-Requires", ">=1.0.0 & <2.0.0");
            Path jar = dir.resolve(id + ".jar");
            Set<String> written = new HashSet<>();
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), mf);
                 Stream<Path> walk = Files.walk(classes)) {
                for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                    String name = classes.relativize(p).toString().replace('\\', '/');
                    written.add(name);
                    put(out, name, Files.readAllBytes(p));
                }
                put(out, "META-INF/extensions.idx",
                        (String.join("\n", extensions) + "\n").getBytes(StandardCharsets.UTF_8));
                for (Path lib : libraries) {
                    try (JarFile in = new JarFile(lib.toFile())) {
                        for (JarEntry e : (Iterable<JarEntry>) in.stream()::iterator) {
                            String name = e.getName();
                            if (e.isDirectory() || name.startsWith("META-INF/") || name.endsWith("module-info.class")
                                    || !written.add(name)) {
                                continue;
                            }
                            try (InputStream data = in.getInputStream(e)) {
                                put(out, name, data.readAllBytes());
                            }
                        }
                    }
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void put(JarOutputStream out, String name, byte[] data) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(data);
        out.closeEntry();
    }

    private static void compile(List<String> files, Path out) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> args = new ArrayList<>(List.of("-proc:none", "-nowarn", "--release", "17", "-classpath", cp,
                "-d", out.toString()));
        args.addAll(files);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = javac.run(null, OutputStream.nullOutputStream(), err, args.toArray(String[]::new));
        if (rc != 0) {
            throw new IllegalStateException("test plugin does not compile:\n" + err.toString(StandardCharsets.UTF_8));
        }
    }
}
