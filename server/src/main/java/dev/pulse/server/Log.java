package dev.pulse.server;

import java.time.Instant;

/** One-line log records on standard error: timestamp, level, message. Never request bodies or secrets. */
public final class Log {
    private Log() {
    }

    public static void info(String message) {
        write("INFO", message);
    }

    public static void warn(String message) {
        write("WARN", message);
    }

    private static void write(String level, String message) {
        System.err.println(Instant.now() + " " + level + " " + message);
    }
}
