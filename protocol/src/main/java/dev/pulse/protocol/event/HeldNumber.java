package dev.pulse.protocol.event;

import java.util.Arrays;

/**
 * A number cut by a chunk's end, held back from jackson until the byte after it arrives, so that jackson reads every
 * number in one feed. Resumed in a later feed, jackson-core 2.18's non-blocking parser judges a number by other
 * rules than in one: {@code 3.1.} is a number and then a stray {@code '.'} in one feed, a malformed number in two,
 * so a body's verdict hung on where the network cut it. Holding bytes back changes nothing else: jackson gets the
 * same bytes in the same order. Any run of number bytes at a chunk's end is held (in a string too, harmlessly).
 *
 * <p>Not thread-safe: owned, like its decoder, by the connection's event loop.
 */
final class HeldNumber {
    /** Longest run held: past jackson's own limit on a number (1,000 characters), a run is fed as it comes. */
    static final int MAX_HELD = 1024;

    private byte[] held = new byte[32]; // owned by the connection's event loop; grows to MAX_HELD at most
    private int length;                 // owned by the connection's event loop

    boolean isEmpty() {
        return length == 0;
    }

    byte[] bytes() {
        return held;
    }

    int length() {
        return length;
    }

    void clear() {
        length = 0;
    }

    /**
     * Adds the held number's rest from {@code b[from, to)} and the byte that ends it. Returns where the bytes after
     * that start; -1 when the number runs on past {@code to} (all of it taken); {@code from} when the number grew
     * too long to hold (nothing taken: feed what is held as it is).
     */
    int complete(byte[] b, int from, int to) {
        int end = from;
        while (end < to && isNumberByte(b[end])) {
            end++;
        }
        int take = end < to ? end + 1 : to;
        if (length + (take - from) > MAX_HELD) {
            return from;
        }
        append(b, from, take);
        return end < to ? take : -1;
    }

    /** Where the run of number bytes that ends {@code b[from, to)} starts: {@code to} for none or one too long. */
    static int runStart(byte[] b, int from, int to) {
        int i = to;
        while (i > from && isNumberByte(b[i - 1])) {
            if (to - i == MAX_HELD) {
                return to;
            }
            i--;
        }
        return i;
    }

    /** Holds {@code b[from, to)}, a run {@link #runStart} found. */
    void hold(byte[] b, int from, int to) {
        append(b, from, to);
    }

    private void append(byte[] b, int from, int to) {
        int n = to - from;
        if (length + n > held.length) {
            held = Arrays.copyOf(held, Math.min(MAX_HELD, Math.max(2 * held.length, length + n)));
        }
        System.arraycopy(b, from, held, length, n);
        length += n;
    }

    private static boolean isNumberByte(byte c) {
        return c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
    }
}
