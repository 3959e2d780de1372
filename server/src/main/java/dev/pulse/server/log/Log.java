package dev.pulse.server.log;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

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

    /** A warning written at most once per {@code intervalMillis}; the records skipped meanwhile are counted. */
    public static Limited limited(long intervalMillis) {
        return new Limited(intervalMillis * 1_000_000L);
    }

    /** A rate-limited warning, so a burst of the same failure cannot flood the log. Thread-safe. */
    public static final class Limited {
        private final long intervalNanos;
        private final AtomicLong next = new AtomicLong(Long.MIN_VALUE); // earliest time of the next record
        private final AtomicLong skipped = new AtomicLong();

        private Limited(long intervalNanos) {
            this.intervalNanos = intervalNanos;
        }

        public void warn(String message) {
            long now = System.nanoTime();
            long due = next.get();
            if ((due != Long.MIN_VALUE && now - due < 0) || !next.compareAndSet(due, now + intervalNanos)) {
                skipped.incrementAndGet();
                return;
            }
            long n = skipped.getAndSet(0);
            write("WARN", n == 0 ? message : message + " (" + n + " similar records skipped)");
        }
    }

    private static void write(String level, String message) {
        System.err.println(Instant.now() + " " + level + " " + message);
    }
}
