package dev.pulse.server.redis;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * One list entry of a series: the values one write round took for it, oldest first. One entry per series and round,
 * not per value, so what Redis, Lettuce and the writer spend grows with series and rounds; and compact, because at
 * high rates the bytes themselves (copied by Lettuce, the socket and Redis) were most of the cost. Layout: the tag
 * byte {@value #COMPACT}, then per value one header byte and its time and value, each read back bit for bit:
 * <ul>
 *   <li>header bits 3-4, the time: 0 the previous value's time; 1 whole seconds, a zigzag varint of the difference
 *       from the previous value's time (0 before the first); 2 an IEEE 754 double, 8 bytes little-endian; 3 a zigzag
 *       varint of the difference of its IEEE 754 bits from the previous value's time's, when that takes under 8
 *       bytes: a fractional time (milliseconds of remote write, nanoseconds of OTLP, a client's clock) within 32 s of
 *       the one before takes at most 4;</li>
 *   <li>header bits 0-2, the value: 0-4 a decimal with that many fraction digits, a zigzag varint of its digits
 *       ({@code 45.3}: 1, then 453); 7 an IEEE 754 double, 8 bytes little-endian.</li>
 * </ul>
 * Typical metrics (integers, short decimals, whole-second timestamps) take 3-5 bytes a value where two doubles take
 * 16; full-precision values at fractional times, 12-13. Entries of the older text layout ({@code "<epoch_seconds>
 * <value>"} pairs joined by {@code ","}, which start with a digit or {@code -}) are still read, so a restart after an
 * upgrade keeps its history; a build before time form 3 refuses entries that hold it. Stateless.
 */
final class RoundEntry {
    /** The first byte of an entry in this layout. */
    static final byte COMPACT = 1;
    private static final int SAME_TIME = 0, WHOLE_SECONDS = 1, RAW_TIME = 2, TIME_BITS_STEP = 3;
    /** A step of the time's bits this far either side takes at most 7 bytes as a zigzag varint. */
    private static final long STEP_LIMIT = 1L << 48;
    private static final int RAW_VALUE = 7;
    private static final double[] POWERS = {1, 10, 100, 1_000, 10_000};
    private static final double EXACT = 0x1p53; // integers below this are exact in a double
    /** Most bytes a value takes: header, a raw time, a varint of up to 54 bits. */
    private static final int MAX_BYTES_PER_VALUE = 1 + 8 + 8;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private RoundEntry() {
    }

    /**
     * The most bytes an entry of {@code count} values takes: the tag {@link #COMPACT} first, then the values, which
     * go in with {@link #put} from the byte after it.
     */
    static int maxBytes(int count) {
        return 1 + MAX_BYTES_PER_VALUE * count;
    }

    /**
     * Writes a value at {@code at}, after one at {@code previousTime} (0 for the first); returns where the next
     * value goes. {@code formHint} is the {@link #valueForm} of the series' previous value, or -1: a series' values
     * mostly have the same number of fraction digits, so that form is tried first (any form that reads back exactly
     * is right; the fewest digits only saves a byte now and then).
     */
    static int put(byte[] entry, int at, double previousTime, double time, double value, int formHint) {
        int header = at++;
        int timeForm;
        if (Double.doubleToRawLongBits(time) == Double.doubleToRawLongBits(previousTime)) {
            timeForm = SAME_TIME;
        } else if (isWhole(time) && isWhole(previousTime)) {
            timeForm = WHOLE_SECONDS;
            at = varint(entry, at, (long) time - (long) previousTime);
        } else {
            long bits = Double.doubleToRawLongBits(time);
            long step = bits - Double.doubleToRawLongBits(previousTime);
            if (step < STEP_LIMIT && step > -STEP_LIMIT) {
                timeForm = TIME_BITS_STEP;
                at = varint(entry, at, step);
            } else {
                timeForm = RAW_TIME;
                LONGS.set(entry, at, bits);
                at += 8;
            }
        }
        int valueForm = formHint >= 0 && formHint < POWERS.length && isDecimal(value, formHint) ? formHint : RAW_VALUE;
        for (int k = 0; valueForm == RAW_VALUE && k < POWERS.length && formHint != RAW_VALUE; k++) {
            if (k != formHint && isDecimal(value, k)) {
                valueForm = k;
            }
        }
        if (valueForm != RAW_VALUE) {
            at = varint(entry, at, (long) Math.rint(value * POWERS[valueForm]));
        } else {
            LONGS.set(entry, at, Double.doubleToRawLongBits(value));
            at += 8;
        }
        entry[header] = (byte) (timeForm << 3 | valueForm);
        return at;
    }

    /** The form of the value whose header byte is at {@code at}: 0-4 its fraction digits, 7 a raw double. */
    static int valueForm(byte[] entry, int at) {
        return entry[at] & 7;
    }

    /** Whether {@code value} reads back bit for bit as its digits scaled by 10^-k. */
    private static boolean isDecimal(double value, int k) {
        double scaled = Math.rint(value * POWERS[k]);
        return Math.abs(scaled) < EXACT && sameBits((long) scaled / POWERS[k], value);
    }

    /** Receives the pairs of a parsed entry, oldest first. */
    interface Sink {
        void value(double epochSeconds, double value);
    }

    /** Hands every {@code (time, value)} pair of {@code entry} to {@code sink}; returns how many. */
    static int parse(byte[] entry, Sink sink) {
        if (entry.length == 0 || entry[0] != COMPACT) {
            return parseText(new String(entry, StandardCharsets.US_ASCII), sink);
        }
        int count = 0;
        double time = 0;
        long[] varint = new long[1];
        for (int at = 1; at < entry.length; count++) {
            int header = entry[at++];
            switch (header >> 3 & 3) {
                case SAME_TIME -> { }
                case WHOLE_SECONDS -> {
                    at = readVarint(entry, at, varint);
                    time = (double) ((long) time + varint[0]);
                }
                case RAW_TIME -> {
                    time = Double.longBitsToDouble(raw(entry, at));
                    at += 8;
                }
                default -> { // TIME_BITS_STEP
                    at = readVarint(entry, at, varint);
                    time = Double.longBitsToDouble(Double.doubleToRawLongBits(time) + varint[0]);
                }
            }
            int valueForm = header & 7;
            double value;
            if (valueForm < POWERS.length) {
                at = readVarint(entry, at, varint);
                value = varint[0] / POWERS[valueForm];
            } else if (valueForm == RAW_VALUE) {
                value = Double.longBitsToDouble(raw(entry, at));
                at += 8;
            } else {
                throw new IllegalArgumentException("not a history entry: value form " + valueForm);
            }
            sink.value(time, value);
        }
        return count;
    }

    /** Whether {@code t} is a whole number of seconds that reads back from a long bit for bit (not -0.0). */
    private static boolean isWhole(double t) {
        return Math.abs(t) < EXACT && sameBits((double) (long) t, t);
    }

    private static boolean sameBits(double a, double b) {
        return Double.doubleToRawLongBits(a) == Double.doubleToRawLongBits(b);
    }

    /** Writes {@code v} zigzag-encoded, seven bits a byte, least significant first. */
    private static int varint(byte[] out, int at, long v) {
        long z = v << 1 ^ v >> 63;
        while ((z & ~0x7FL) != 0) {
            out[at++] = (byte) (z & 0x7F | 0x80);
            z >>>= 7;
        }
        out[at++] = (byte) z;
        return at;
    }

    private static int readVarint(byte[] in, int at, long[] out) {
        long z = 0;
        for (int shift = 0; ; shift += 7) {
            if (at >= in.length || shift > 63) {
                throw new IllegalArgumentException("not a history entry: a number runs past its end");
            }
            byte b = in[at++];
            z |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                break;
            }
        }
        out[0] = z >>> 1 ^ -(z & 1);
        return at;
    }

    private static long raw(byte[] in, int at) {
        if (at + 8 > in.length) {
            throw new IllegalArgumentException("not a history entry: a number runs past its end");
        }
        return (long) LONGS.get(in, at);
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
