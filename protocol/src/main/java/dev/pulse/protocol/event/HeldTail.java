package dev.pulse.protocol.event;

import java.util.Arrays;

/**
 * The end of a chunk that jackson must not read apart from what follows it. Resumed in a later feed, jackson-core
 * 2.18's non-blocking parser judges two things by other rules than in one feed, so a body's verdict hung on where
 * the network cut it:
 * <ul>
 *   <li>a number: {@code 3.1.} is a number and then a stray point in one feed, a malformed number in two;</li>
 *   <li>a comma before a closing brace: {@code {"cpu":1,}} is refused in one feed and was accepted in two;</li>
 *   <li>a colon before a closing brace: {@code {"cpu":}} is refused in one feed, and in two the brace was read as
 *   the field's value.</li>
 * </ul>
 * So a run of number bytes that ends a chunk is held until the byte after it arrives, and a comma or a colon
 * followed by nothing but white space until the next byte that is not white space (and, when that starts a number,
 * its end).
 * Holding bytes back changes nothing else: jackson gets the same bytes in the same order, and a run held inside a
 * string is held harmlessly. Costs a look at the chunk's last bytes, and a copy of the bytes held.
 *
 * <p>Not thread-safe: owned, like its decoder, by the connection's event loop.
 */
final class HeldTail {
    /** Longest run of number bytes held: past jackson's own limit on a number (1,000 characters), it is fed as it comes. */
    static final int MAX_NUMBER = 1024;
    /** Held bytes kept between bodies; a longer buffer (a separator and much white space) is dropped at the next body. */
    private static final int KEPT = 1024;
    private static final int NONE = 0, NUMBER = 1, SEPARATOR = 2; // SEPARATOR: a comma or a colon

    private byte[] held = new byte[32]; // owned by the connection's event loop
    private int length;                 // owned by the connection's event loop
    private int waiting = NONE;         // what the held bytes wait for; owned by the connection's event loop
    private int numberLength;           // number bytes held in a row; owned by the connection's event loop

    boolean isEmpty() {
        return length == 0;
    }

    byte[] bytes() {
        return held;
    }

    int length() {
        return length;
    }

    /** Empties it (what it held was fed); a buffer grown past {@link #KEPT} is let go. */
    void clear() {
        length = 0;
        waiting = NONE;
        numberLength = 0;
        if (held.length > KEPT) {
            held = new byte[32];
        }
    }

    /**
     * Where the tail to hold of {@code b[from, to)} starts: a run of number bytes that ends it, or a separator followed
     * by nothing but white space; {@code to} when there is none, or the number run is longer than
     * {@link #MAX_NUMBER}.
     */
    static int tailStart(byte[] b, int from, int to) {
        int i = to;
        while (i > from && isNumberByte(b[i - 1])) {
            if (to - i == MAX_NUMBER) {
                return to;
            }
            i--;
        }
        if (i < to) {
            return i;
        }
        while (i > from && isSpace(b[i - 1])) {
            i--;
        }
        return i > from && isSeparator(b[i - 1]) ? i - 1 : to;
    }

    /** Holds {@code b[from, to)}, a tail {@link #tailStart} found. */
    void hold(byte[] b, int from, int to) {
        if (from < to) {
            waiting = isSeparator(b[from]) ? SEPARATOR : NUMBER;
            numberLength = 0;
            complete(b, from, to);
        }
    }

    /**
     * Adds to the held tail from {@code b[from, to)} until it is whole: the byte that ends a number, the first byte
     * after a separator that is not white space (or, when that starts a number, the number and the byte after it).
     * Returns where the bytes after the tail start (or after what was taken of a number too long to hold: feed what
     * is held as it is); -1 when it runs on past {@code to} (all of it taken).
     */
    int complete(byte[] b, int from, int to) {
        int i = from;
        while (waiting != NONE && i < to) {
            byte c = b[i];
            if (waiting == SEPARATOR) {
                if (isNumberByte(c)) {
                    waiting = NUMBER;
                    numberLength = 0;
                    continue;
                }
                waiting = isSpace(c) || isSeparator(c) ? SEPARATOR : NONE;
            } else if (isNumberByte(c)) {
                if (++numberLength > MAX_NUMBER) {
                    waiting = NONE; // too long to hold: what is held is fed as it is, the rest as it comes
                    break;
                }
            } else {
                waiting = isSeparator(c) ? SEPARATOR : NONE;
            }
            i++;
        }
        append(b, from, i);
        return waiting == NONE ? i : -1;
    }

    private void append(byte[] b, int from, int to) {
        int n = to - from;
        if (length + n > held.length) {
            held = Arrays.copyOf(held, Math.max(2 * held.length, length + n));
        }
        System.arraycopy(b, from, held, length, n);
        length += n;
    }

    private static boolean isNumberByte(byte c) {
        return c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
    }

    private static boolean isSeparator(byte c) {
        return c == ',' || c == ':';
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }
}
