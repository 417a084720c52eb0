package dev.switchboard.kernel.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
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
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds PF4J plugin jars at test time: Java sources compiled against the test class path (so against the SPI), a
 * manifest with the plugin attributes, and {@code META-INF/extensions.idx} naming the extension classes.
 */
public final class TestPluginJars {
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final List<String> extensions = new ArrayList<>();
    private String id = "test-plugin";
    private String version = "1.0.0";
    private String requires = ">=1.0.0 & <2.0.0";

    public static TestPluginJars plugin(String id) {
        TestPluginJars b = new TestPluginJars();
        b.id = id;
        return b;
    }

    public TestPluginJars version(String v) {
        this.version = v;
        return this;
    }

    public TestPluginJars requires(String r) {
        this.requires = r;
        return this;
    }

    /** Adds a class; {@code extension} lists it in {@code extensions.idx}. */
    public TestPluginJars source(String className, String code, boolean extension) {
        sources.put(className, code);
        if (extension) {
            extensions.add(className);
        }
        return this;
    }

    /** Lists a class (for example a nested one, by binary name) in {@code extensions.idx}. */
    public TestPluginJars extension(String binaryName) {
        extensions.add(binaryName);
        return this;
    }

    private final List<Class<?>> bundled = new ArrayList<>();

    /** Copies these classes (from the test class path) into the jar, as a badly packaged plugin would. */
    public TestPluginJars bundle(Class<?>... classes) {
        bundled.addAll(List.of(classes));
        return this;
    }

    /** Compiles and writes the jar to {@code dir/<id>.jar}. */
    public Path writeTo(Path dir) {
        try {
            Path work = Files.createTempDirectory("plugin-src-" + id);
            Path classes = work.resolve("classes");
            Files.createDirectories(classes);
            List<String> files = new ArrayList<>();
            for (Map.Entry<String, String> e : sources.entrySet()) {
                Path f = work.resolve("src").resolve(e.getKey().replace('.', '/') + ".java");
                Files.createDirectories(f.getParent());
                Files.writeString(f, e.getValue());
                files.add(f.toString());
            }
            if (!files.isEmpty()) {
                compile(files, classes);
            }
            Manifest mf = new Manifest();
            Attributes a = mf.getMainAttributes();
            a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
            a.putValue("Plugin-Id", id);
            a.putValue("Plugin-Version", version);
            if (requires != null) {
                a.putValue("Plugin-Requires", requires);
            }
            Path jar = dir.resolve(id + ".jar");
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), mf);
                 Stream<Path> walk = Files.walk(classes)) {
                for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                    out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                    out.write(Files.readAllBytes(p));
                    out.closeEntry();
                }
                for (Class<?> c : bundled) {
                    String name = c.getName().replace('.', '/') + ".class";
                    try (java.io.InputStream in = c.getClassLoader().getResourceAsStream(name)) {
                        out.putNextEntry(new JarEntry(name));
                        out.write(in.readAllBytes());
                        out.closeEntry();
                    }
                }
                if (!extensions.isEmpty()) {
                    out.putNextEntry(new JarEntry("META-INF/extensions.idx"));
                    out.write((String.join("\n", extensions) + "\n").getBytes(StandardCharsets.UTF_8));
                    out.closeEntry();
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    /** A file that is not a jar at all, named like one. */
    public static Path corruptJar(Path dir, String name) {
        try {
            return Files.write(dir.resolve(name), "PK\3\4 this is not really a zip file".getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String stack(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }
}
