package dev.switchboard.kernel.config;

import java.util.Locale;

/** Traefik v1's {@code logLevel} values, and the slf4j-simple level each one maps to. */
public enum LogLevel {
    DEBUG("debug"), INFO("info"), WARN("warn"), ERROR("error"), FATAL("error"), PANIC("error");

    private final String simpleLoggerLevel;

    LogLevel(String simpleLoggerLevel) {
        this.simpleLoggerLevel = simpleLoggerLevel;
    }

    /** The value for {@code org.slf4j.simpleLogger.defaultLogLevel} (FATAL and PANIC are ERROR: no coarser level). */
    public String simpleLoggerLevel() {
        return simpleLoggerLevel;
    }

    /** Parses a level case-insensitively ({@code WARNING} too, as logrus does); null if it is not one. */
    public static LogLevel parse(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        if (t.equals("WARNING")) {
            return WARN;
        }
        for (LogLevel l : values()) {
            if (l.name().equals(t)) {
                return l;
            }
        }
        return null;
    }
}
