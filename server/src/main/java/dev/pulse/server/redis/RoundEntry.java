package dev.pulse.server.redis;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One list entry of a series: the values one write round took for it, oldest first, as
 * {@code "<epoch_seconds> <value>,<epoch_seconds> <value>,..."}, each number as {@link EntryFormat} writes it. One
 * entry per series and round, not per value, so what Redis, Lettuce and the writer spend grows with series and
 * rounds. {@link #format} is not thread-safe (one instance per writer); {@link #parse} is.
 */
final class RoundEntry {
    private final EntryFormat format = new EntryFormat(); // owned by the writer thread
    private byte[] out = new byte[256];                   // owned by the writer thread

    /** The entry of {@code count} values from {@code from} in the two arrays, as a new array of ASCII bytes. */
    byte[] format(double[] times, double[] values, int from, int count) {
        int at = 0;
        for (int i = from, end = from + count; i < end; i++) {
            int n = format.format(times[i], values[i]);
            if (at + n + 1 > out.length) {
                out = Arrays.copyOf(out, Math.max(out.length * 2, at + n + 1));
            }
            if (i != from) {
                out[at++] = ',';
            }
            System.arraycopy(format.buffer(), 0, out, at, n);
            at += n;
        }
        return Arrays.copyOf(out, at);
    }

    /** Receives the pairs of a parsed entry, oldest first. */
    interface Sink {
        void value(double epochSeconds, double value);
    }

    /** Hands every {@code (time, value)} pair of {@code entry} to {@code sink}; returns how many. */
    static int parse(String entry, Sink sink) {
        int count = 0;
        int start = 0;
        while (start < entry.length()) {
            int comma = entry.indexOf(',', start);
            int end = comma < 0 ? entry.length() : comma;
            int space = entry.indexOf(' ', start);
            if (space < 0 || space > end) {
                throw new IllegalArgumentException("not a history entry: " + entry);
            }
            sink.value(Double.parseDouble(entry.substring(start, space)), Double.parseDouble(entry.substring(space + 1, end)));
            count++;
            start = end + 1;
        }
        return count;
    }

    /** The number of pairs in an entry. */
    static int count(String entry) {
        int n = entry.isEmpty() ? 0 : 1;
        for (int i = 0; i < entry.length(); i++) {
            if (entry.charAt(i) == ',') {
                n++;
            }
        }
        return n;
    }

    static String text(byte[] entry) {
        return new String(entry, StandardCharsets.US_ASCII);
    }
}
