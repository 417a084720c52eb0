package dev.switchboard.kernel;

import dev.switchboard.kernel.config.LogLevel;
import dev.switchboard.kernel.config.StaticConfigLoader;
import dev.switchboard.spi.SpiVersion;
import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.config.ConfigProblem;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * The command line, run by {@code bin/switchboard}:
 * <pre>
 *   switchboard [run] [-c|--configFile PATH] [--demo]   run until SIGTERM/SIGINT (graceful stop, exit 0)
 *   switchboard check [-c|--configFile PATH]            validate everything without binding; exit 0 valid, 1 not
 *   switchboard --version | --help
 * </pre>
 * The default configuration file is {@code $switchboard.home/conf/switchboard.toml} ({@code conf/demo.toml} with
 * {@code --demo}). Usage errors exit 2; a configuration that cannot start exits 1 with every error as
 * {@code file:line: key: message}.
 *
 * <p>No logger is touched before the log level is known (so nothing here may load a class holding a logger before
 * {@link #configureLogging} ran): {@code logLevel} is read from the file first and given to
 * slf4j-simple through its system properties, unless the user set them (for example in {@code JAVA_OPTS}).
 */
public final class Main {
    static final int OK = 0;
    static final int INVALID = 1;
    static final int USAGE = 2;

    private Main() {
    }

    /** Parsed command line. */
    record Command(String action, Path configFile, boolean demo) {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line; returns the exit code. {@code run} blocks until the process is told to stop. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Command cmd;
        try {
            cmd = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("switchboard: " + e.getMessage());
            err.println(usage());
            return USAGE;
        }
        switch (cmd.action()) {
            case "help":
                out.println(usage());
                return OK;
            case "version":
                out.println("switchboard " + version() + " (SPI " + SpiVersion.CURRENT + ")");
                return OK;
            case "check":
                return check(cmd, out, err);
            default:
                return serve(cmd, err);
        }
    }

    static Command parse(String[] args) {
        String action = null;
        Path config = null;
        boolean demo = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "run", "check" -> {
                    if (action != null) {
                        throw new IllegalArgumentException("unexpected \"" + a + "\" after \"" + action + "\"");
                    }
                    action = a;
                }
                case "-c", "--configFile", "--configfile" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(a + " needs a file path");
                    }
                    config = Path.of(args[++i]);
                }
                case "--demo" -> demo = true;
                case "--version", "-v" -> {
                    return new Command("version", null, false);
                }
                case "--help", "-h", "help" -> {
                    return new Command("help", null, false);
                }
                default -> {
                    if (a.startsWith("--configFile=") || a.startsWith("-c=")) {
                        config = Path.of(a.substring(a.indexOf('=') + 1));
                    } else {
                        throw new IllegalArgumentException("unknown argument \"" + a + "\"");
                    }
                }
            }
        }
        if (action == null) {
            action = "run";
        }
        if (demo && action.equals("check") && config == null) {
            config = conf("demo.toml");
        }
        if (config == null) {
            config = conf(demo ? "demo.toml" : "switchboard.toml");
            if (config == null) {
                throw new IllegalArgumentException("no configuration file: give -c PATH (or run through "
                        + "bin/switchboard, which sets switchboard.home)");
            }
        }
        return new Command(action, config, demo);
    }

    private static Path conf(String name) {
        Path home = SwitchboardHome.get();
        return home == null ? null : home.resolve("conf").resolve(name);
    }

    static String usage() {
        return String.join("\n",
                "usage: switchboard [run] [-c|--configFile PATH] [--demo]",
                "       switchboard check [-c|--configFile PATH]",
                "       switchboard --version | --help",
                "",
                "  run       serve until SIGTERM or SIGINT (default command)",
                "  check     validate the configuration (static, providers' dynamic, routing) without binding;",
                "            print entry points, frontends and backends, or every error as file:line: key: message",
                "  -c PATH   the main TOML file (default $switchboard.home/conf/switchboard.toml)",
                "  --demo    start the embedded demo backends and serve conf/demo.toml (unless -c is given)",
                "  --version print the version and the plugin SPI version");
    }

    static String version() {
        try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Sets slf4j-simple's properties from the file's {@code logLevel}; must run before any logger exists. */
    static void configureLogging(Path configFile, String forcedLevel) {
        String level = forcedLevel;
        if (level == null) {
            LogLevel l = Files.isReadable(configFile) ? StaticConfigLoader.peekLogLevel(configFile) : null;
            level = (l == null ? LogLevel.ERROR : l).simpleLoggerLevel();
        }
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", level);
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        setIfAbsent("org.slf4j.simpleLogger.showThreadName", "true");
        setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
        setIfAbsent("org.slf4j.simpleLogger.levelInBrackets", "true");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private static void printProblems(PrintStream err, List<ConfigProblem> problems, String prefix) {
        for (ConfigProblem p : problems) {
            err.println(prefix + p);
        }
    }

    private static int check(Command cmd, PrintStream out, PrintStream err) {
        // check prints everything it finds itself; log lines would only repeat them.
        configureLogging(cmd.configFile(), "off");
        if (!Files.isReadable(cmd.configFile())) {
            err.println(cmd.configFile() + ": cannot read the configuration file");
            return INVALID;
        }
        ConfigCheck.Report report = ConfigCheck.run(cmd.configFile(), Switchboard.Options.defaults());
        printProblems(err, report.warnings(), "warning: ");
        if (!report.valid()) {
            printProblems(err, report.errors(), "");
            err.println(report.errors().size() + (report.errors().size() == 1 ? " error" : " errors") + " in "
                    + cmd.configFile());
            return INVALID;
        }
        report.listing().forEach(out::println);
        return OK;
    }

    private static int serve(Command cmd, PrintStream err) {
        configureLogging(cmd.configFile(), null);
        AutoCloseable demo = null;
        if (cmd.demo()) {
            try {
                demo = dev.switchboard.kernel.demo.DemoBackends.start();
            } catch (IOException | RuntimeException e) {
                err.println("switchboard: cannot start the demo backends: " + e.getMessage());
                return INVALID;
            }
        }
        Switchboard switchboard = Switchboard.fromFile(cmd.configFile(), Switchboard.Options.defaults());
        CountDownLatch stopped = new CountDownLatch(1);
        AutoCloseable demoBackends = demo;
        java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable stop = () -> {
            if (stopping.compareAndSet(false, true)) {
                switchboard.close();
                closeQuietly(demoBackends);
            }
            stopped.countDown();
        };
        Thread hook = new Thread(stop, "switchboard-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        // Handle the signals before the listeners open: a SIGTERM that arrives as soon as the port accepts (a test,
        // an orchestrator) must still be a graceful stop with status 0. It waits for the start to finish.
        CountDownLatch startFinished = new CountDownLatch(1);
        StopSignals.install(() -> {
            Thread t = new Thread(() -> {
                try {
                    startFinished.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                stop.run();
            }, "switchboard-stop");
            t.setDaemon(true);
            t.start();
        });
        try {
            switchboard.start();
        } catch (ConfigException e) {
            startFinished.countDown();
            printProblems(err, e.problems(), "");
            err.println("switchboard: cannot start: " + e.problems().size() + " problem(s)");
            closeQuietly(demoBackends);
            return INVALID;
        } catch (IOException | RuntimeException e) {
            startFinished.countDown();
            err.println("switchboard: cannot start: " + e.getMessage());
            closeQuietly(demoBackends);
            return INVALID;
        }
        startFinished.countDown();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return OK;
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                // Demo backends only; nothing to do on the way out.
            }
        }
    }
}
