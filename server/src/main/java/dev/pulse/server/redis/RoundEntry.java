package dev.pulse.server.redis;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * One list entry of a series: the values one write round took for it, oldest first, as a tag byte
 * ({@value #BINARY}) followed by 16 bytes per value, the epoch seconds and the value, each an IEEE 754 double in
 * little-endian order. One entry per series and round, not per value, so what Redis, Lettuce and the writer spend
 * grows with series and rounds; and the raw bits, because formatting numbers as text was most of the writer's time
 * and every value reads back bit for bit. Entries of the older text layout ({@code "<epoch_seconds> <value>"} pairs
 * joined by {@code ","}, which start with a digit or {@code -}) are still read, so a restart after an upgrade keeps
 * its history. Stateless and thread-safe.
 */
final class RoundEntry {
    /** The first byte of an entry in this layout. */
    static final byte BINARY = 1;
    private static final int PAIR = 16;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private RoundEntry() {
    }

    /** The entry of {@code count} values from {@code from} in the two arrays. */
    static byte[] format(double[] times, double[] values, int from, int count) {
        byte[] out = new byte[1 + PAIR * count];
        out[0] = BINARY;
        for (int i = from, at = 1, end = from + count; i < end; i++, at += PAIR) {
            LONGS.set(out, at, Double.doubleToRawLongBits(times[i]));
            LONGS.set(out, at + 8, Double.doubleToRawLongBits(values[i]));
        }
        return out;
    }

    /** Receives the pairs of a parsed entry, oldest first. */
    interface Sink {
        void value(double epochSeconds, double value);
    }

    /** Hands every {@code (time, value)} pair of {@code entry} to {@code sink}; returns how many. */
    static int parse(byte[] entry, Sink sink) {
        if (!isBinary(entry)) {
            return parseText(new String(entry, StandardCharsets.US_ASCII), sink);
        }
        int count = count(entry);
        for (int i = 0, at = 1; i < count; i++, at += PAIR) {
            sink.value(Double.longBitsToDouble((long) LONGS.get(entry, at)),
                    Double.longBitsToDouble((long) LONGS.get(entry, at + 8)));
        }
        return count;
    }

    /** The number of pairs in an entry. */
    static int count(byte[] entry) {
        if (isBinary(entry)) {
            return (entry.length - 1) / PAIR;
        }
        int n = entry.length == 0 ? 0 : 1;
        for (byte b : entry) {
            if (b == ',') {
                n++;
            }
        }
        return n;
    }

    private static boolean isBinary(byte[] entry) {
        if (entry.length > 0 && entry[0] == BINARY) {
            if ((entry.length - 1) % PAIR != 0) {
                throw new IllegalArgumentException("not a history entry: " + entry.length + " bytes");
            }
            return true;
        }
        return false;
    }

    /** The older layout: {@code "<epoch_seconds> <value>"} pairs joined by {@code ","}. */
    private static int parseText(String entry, Sink sink) {
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
}
