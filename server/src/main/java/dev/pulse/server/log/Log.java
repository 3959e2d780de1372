package dev.pulse.server.log;

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
        System.err.println(timestamp(System.currentTimeMillis()) + " " + level + " " + message);
    }

    /**
     * {@code millis} as ISO-8601 UTC to the millisecond, computed here because java.time's formatters take tens of
     * milliseconds to initialise and the first record is written on the start-up path.
     */
    static String timestamp(long millis) {
        long days = Math.floorDiv(millis, 86_400_000L);
        long ms = Math.floorMod(millis, 86_400_000L);
        // days since 1970-01-01 to a civil date (H. Hinnant's algorithm, in 400-year eras from 0000-03-01)
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long day = doy - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        StringBuilder b = new StringBuilder(24);
        pad(b, year, 4).append('-');
        pad(b, month, 2).append('-');
        pad(b, day, 2).append('T');
        pad(b, ms / 3_600_000, 2).append(':');
        pad(b, ms / 60_000 % 60, 2).append(':');
        pad(b, ms / 1_000 % 60, 2).append('.');
        return pad(b, ms % 1_000, 3).append('Z').toString();
    }

    private static StringBuilder pad(StringBuilder b, long value, int width) {
        String digits = Long.toString(value);
        for (int i = digits.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(digits);
    }
}
