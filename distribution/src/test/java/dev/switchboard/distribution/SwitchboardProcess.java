package dev.switchboard.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/switchboard} running as a real child process, its stdout and stderr captured to one file.
 *
 * <p>The launcher {@code exec}s java, so the child's pid is the JVM's and {@link #terminate()} (SIGTERM) reaches the
 * proxy itself. Every process started here is also killed when the test JVM exits, whatever the test did.
 */
final class SwitchboardProcess implements AutoCloseable {
    /** Longer than the proxy's default 10 s grace: a graceful stop must finish within it. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private static final List<Process> ALL = new ArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (ALL) {
                ALL.forEach(Process::destroyForcibly);
            }
        }));
    }

    private final Process process;
    private final Path output;
    private final long startedNanos;
    private final List<String> command;

    private SwitchboardProcess(Process process, Path output, long startedNanos, List<String> command) {
        this.process = process;
        this.output = output;
        this.startedNanos = startedNanos;
        this.command = command;
    }

    /** A launch: which distribution, from which working directory, with which environment. */
    static Launch of(Distribution distribution) {
        return new Launch(distribution);
    }

    static final class Launch {
        private final Distribution distribution;
        private Path launcher;
        private Path workingDirectory;
        private final Map<String, String> environment = new HashMap<>();
        private final List<String> removedEnvironment = new ArrayList<>();

        private Launch(Distribution distribution) {
            this.distribution = distribution;
            this.launcher = distribution.launcher();
            // Deterministic: the JDK running the tests, not whatever JAVA_HOME Maven was started with.
            environment.put("JAVA_HOME", System.getProperty("java.home"));
            environment.put("JAVA_OPTS", "-Xmx256m -XX:+UseSerialGC");
        }

        /** Start through this path instead of {@code bin/switchboard} (a symbolic link, say). */
        Launch launcher(Path path) {
            this.launcher = path;
            return this;
        }

        /** The working directory; defaults to a fresh empty folder, so nothing may depend on it. */
        Launch in(Path directory) {
            this.workingDirectory = directory;
            return this;
        }

        Launch env(String name, String value) {
            environment.put(name, value);
            removedEnvironment.remove(name);
            return this;
        }

        Launch withoutEnv(String name) {
            environment.remove(name);
            removedEnvironment.add(name);
            return this;
        }

        SwitchboardProcess start(String... args) {
            try {
                Files.createDirectories(Distribution.IT_DIR);
                Path directory = workingDirectory != null ? workingDirectory
                        : Files.createTempDirectory(Distribution.IT_DIR, "cwd-");
                Path log = Files.createTempFile(Distribution.IT_DIR, "switchboard-", ".log");
                List<String> command = new ArrayList<>();
                command.add(launcher.toString());
                command.addAll(Arrays.asList(args));
                ProcessBuilder builder = new ProcessBuilder(command)
                        .directory(directory.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
                removedEnvironment.forEach(builder.environment()::remove);
                builder.environment().putAll(environment);
                long started = System.nanoTime();
                Process process = builder.start();
                synchronized (ALL) {
                    ALL.add(process);
                }
                return new SwitchboardProcess(process, log, started, command);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Runs a command that ends by itself (check, --version, a failing start-up) and returns its result. */
        Result run(Duration timeout, String... args) {
            try (SwitchboardProcess process = start(args)) {
                int exit = process.awaitExit(timeout);
                return new Result(exit, process.output());
            }
        }
    }

    /** What a finished command printed and its exit code. */
    record Result(int exitCode, String output) {
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code, or a description if still running. */
    String exitCode() {
        return process.isAlive() ? "(still running)" : Integer.toString(process.exitValue());
    }

    Duration sinceStart() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** Everything the process printed so far, stdout and stderr interleaved. */
    String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String describeOutput() {
        return "\n--- " + String.join(" ", command) + " (output in " + output + ") ---\n" + output()
                + "\n--- end of output ---";
    }

    /**
     * Polls {@code GET target} with {@code Host: host} on {@code port} until the proxy answers with {@code status},
     * and returns that response. Fails at once if the process exits.
     */
    HttpConnection.Response awaitResponse(int port, String host, String target, int status, Duration timeout) {
        return Poll.until(timeout, "HTTP " + status + " for Host " + host + " " + target + " on 127.0.0.1:" + port,
                this, () -> {
                    HttpConnection.Response response = HttpConnection.get(port, host, target);
                    if (response.status() != status) {
                        throw new IllegalStateException("got " + response.status() + ": " + response.firstLine());
                    }
                    return response;
                });
    }

    /** Waits for the process to end by itself and returns its exit code; fails (and kills it) after timeout. */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("switchboard did not exit within " + timeout.toMillis() + " ms"
                        + describeOutput());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Sends SIGTERM and asserts a graceful stop: exit code 0 within {@link #STOP_TIMEOUT}. */
    void terminate() {
        process.destroy(); // SIGTERM on POSIX
        int exit = awaitExit(STOP_TIMEOUT);
        assertEquals(0, exit, "after SIGTERM switchboard must shut down gracefully and exit 0" + describeOutput());
    }

    /** Sends {@code signal} (INT, TERM, ...) with the system's kill command. */
    void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            String text = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill -" + signal + " " + process.pid() + " failed: " + text);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Kills the process if a test left it running (after a failure); a graceful stop is {@link #terminate()}. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (ALL) {
            ALL.remove(process);
        }
    }
}
