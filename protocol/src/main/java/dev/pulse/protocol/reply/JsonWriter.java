package dev.pulse.protocol.reply;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * Writes JSON text into a {@link ByteBuf} and places the commas and colons itself: open a container with
 * {@link #beginObject()} / {@link #beginArray()}, give each member a {@link #name}, then a value. No intermediate
 * strings, no allocation: which open container already holds an element is one bit per depth of a {@code long}, and
 * doubles are written as the shortest decimal that reads back as them ({@link ShortestDouble}).
 *
 * <p>The text is gathered in a reused array and copied into the buffer in blocks: a byte set in a buffer goes through
 * its bounds and reference-count checks, one set in an array does not. The array is copied out whenever it fills,
 * whenever the value written is complete (no container left open) and at {@link #buffer()}; so whoever reads the
 * buffer after a complete value, or through {@link #buffer()}, sees all of it, and nobody writes into the buffer by
 * other means while a container is open.
 *
 * <p>Non-finite doubles are written as {@code null}. Nesting deeper than {@link #MAX_DEPTH} or closing more than was
 * opened throws {@link IllegalStateException}; a name where a value belongs (or the reverse) is not checked.
 * This class is not thread-safe: one instance per thread (an event loop's, or a local one off the loops).
 */
public final class JsonWriter {
    /** Containers open at once; bit {@code d} of {@link #filled} stands for depth {@code d}. */
    public static final int MAX_DEPTH = 63;
    /** Bytes gathered before they are copied out: most replies in one copy. */
    private static final int BLOCK = 4096;
    /** The most bytes one number takes: a long's sign and 19 digits, or a double's longest text. */
    private static final int NUMBER_ROOM = 24;

    private final ShortestDouble shortest = new ShortestDouble(); // owned by the calling thread
    private final byte[] block = new byte[BLOCK]; // owned by the calling thread: text not yet in out
    private int used;           // owned by the calling thread: bytes of block in use
    private ByteBuf out;        // owned by the calling thread, set per reply
    private int depth;          // owned by the calling thread: containers open
    private long filled;        // owned by the calling thread: bit d set once depth d holds an element
    private boolean afterName;  // owned by the calling thread: a name was written, its value comes next

    /** Aims the writer at {@code out}, forgetting any container left open and any text not copied out. */
    public JsonWriter target(ByteBuf out) {
        this.out = out;
        used = 0;
        depth = 0;
        filled = 0;
        afterName = false;
        return this;
    }

    /** The buffer, holding everything written so far. */
    public ByteBuf buffer() {
        copyOut();
        return out;
    }

    /** Containers open; 0 once the value written is complete. */
    public int depth() {
        return depth;
    }

    public JsonWriter beginObject() {
        return open('{');
    }

    public JsonWriter endObject() {
        return close('}');
    }

    public JsonWriter beginArray() {
        return open('[');
    }

    public JsonWriter endArray() {
        return close(']');
    }

    /** Writes {@code "name":}, escaped; a value must follow. */
    public JsonWriter name(CharSequence name) {
        quoted(name, comma(), true);
        afterName = true;
        return this;
    }

    /** Writes a name encoded once ({@link Name#of}); a value must follow. */
    public JsonWriter name(Name name) {
        byte[] b = name.bytes;
        int comma = comma();
        room(b.length + comma);
        if (comma != 0) {
            block[used++] = ',';
        }
        System.arraycopy(b, 0, block, used, b.length);
        used += b.length;
        afterName = true;
        return this;
    }

    public JsonWriter value(CharSequence s) {
        if (s == null) {
            return nullValue();
        }
        quoted(s, comma(), false);
        return done();
    }

    public JsonWriter value(long v) {
        separate(NUMBER_ROOM);
        used = digits(block, used, v);
        return done();
    }

    public JsonWriter value(double v) {
        separate(NUMBER_ROOM + 2);
        if (!Double.isFinite(v)) {
            ascii("null");
        } else if (v == (long) v && Math.abs(v) < 1e15) {
            used = digits(block, used, (long) v);
            if (v != 0 || Double.doubleToRawLongBits(v) == 0) { // -0.0 prints as 0
                block[used++] = '.';
                block[used++] = '0';
            }
        } else {
            int n = shortest.format(v);
            System.arraycopy(shortest.bytes(), 0, block, used, n);
            used += n;
        }
        return done();
    }

    public JsonWriter value(boolean v) {
        separate(5);
        ascii(v ? "true" : "false");
        return done();
    }

    public JsonWriter nullValue() {
        separate(4);
        ascii("null");
        return done();
    }

    /** Writes {@code json}, a complete value rendered earlier (UTF-8), as the next value. */
    public JsonWriter rawValue(CharSequence json) {
        separate(0);
        copyOut();
        ByteBufUtil.writeUtf8(out, json);
        return done();
    }

    /** Writes {@code json}, a complete value rendered earlier as UTF-8 bytes, as the next value. */
    public JsonWriter rawValue(byte[] json) {
        separate(0);
        copyOut();
        out.writeBytes(json);
        return done();
    }

    private JsonWriter open(char bracket) {
        if (depth == MAX_DEPTH) {
            throw new IllegalStateException("JSON nested too deep: depth=" + depth + " max=" + MAX_DEPTH);
        }
        separate(1);
        block[used++] = (byte) bracket;
        depth++;
        filled &= ~(1L << depth);
        return this;
    }

    private JsonWriter close(char bracket) {
        if (depth == 0) {
            throw new IllegalStateException("JSON closed with nothing open: bracket=" + bracket);
        }
        depth--;
        room(1);
        block[used++] = (byte) bracket;
        return done();
    }

    /** After a value: a complete one (no container open) goes to the buffer now. */
    private JsonWriter done() {
        if (depth == 0) {
            copyOut();
        }
        return this;
    }

    /** A comma if one goes before the next element, with room for {@code n} more bytes after it. */
    private void separate(int n) {
        int comma = comma();
        room(n + comma);
        if (comma != 0) {
            block[used++] = ',';
        }
    }

    /**
     * 1 when a comma goes before the next element, else 0 (the first of its container, or the value of a name);
     * records that the element is there.
     */
    private int comma() {
        if (afterName) {
            afterName = false;
            return 0;
        }
        long bit = 1L << depth;
        if ((filled & bit) != 0) {
            return 1;
        }
        filled |= bit;
        return 0;
    }

    /** Makes room for {@code n} bytes in the block (at most {@link #BLOCK}), copying it out first when full. */
    private void room(int n) {
        if (used + n > BLOCK) {
            copyOut();
        }
    }

    private void copyOut() {
        if (used > 0) {
            out.writeBytes(block, 0, used);
            used = 0;
        }
    }

    /** {@code s}, plain ASCII; room for it was made. */
    private void ascii(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            block[used++] = (byte) s.charAt(i);
        }
    }

    /**
     * Writes {@code [,]"s"[:]}. Names and values are mostly plain ASCII: those go straight into the block; the rest
     * of a string from its first char that needs escaping or UTF-8 goes the slow way.
     */
    private void quoted(CharSequence s, int comma, boolean colon) {
        int n = s.length();
        int i = 0;
        room(Math.min(n, BLOCK - 3) + 3);
        if (comma != 0) {
            block[used++] = ',';
        }
        block[used++] = '"';
        byte[] b = block;
        int at = used;
        int end = Math.min(n, BLOCK - 2 - at); // what fits, with the closing quote and colon
        for (; i < end; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
                break;
            }
            b[at++] = (byte) c;
        }
        used = at;
        if (i < n) { // a char to escape or encode, or a string longer than the block
            copyOut();
            escapedTail(s, i, n);
        }
        room(2);
        block[used++] = '"';
        if (colon) {
            block[used++] = ':';
        }
    }

    /** The rest of a string, from {@code from}, escaped straight into the buffer; the block was copied out. */
    private void escapedTail(CharSequence s, int from, int n) {
        for (int i = from; i < n; i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.writeByte('\\').writeByte(c);
            } else if (c < 0x20) {
                writeControl(c);
            } else if (c < 0x80) {
                out.writeByte(c);
            } else {
                int end = i + 1;
                while (end < n && s.charAt(end) >= 0x80) {
                    end++;
                }
                ByteBufUtil.writeUtf8(out, s, i, end);
                i = end - 1;
            }
        }
    }

    private void writeControl(char c) {
        switch (c) {
            case '\n' -> out.writeByte('\\').writeByte('n');
            case '\r' -> out.writeByte('\\').writeByte('r');
            case '\t' -> out.writeByte('\\').writeByte('t');
            default -> {
                out.writeByte('\\').writeByte('u').writeByte('0').writeByte('0');
                out.writeByte(hex(c >> 4)).writeByte(hex(c & 0xF));
            }
        }
    }

    private static int hex(int nibble) {
        return nibble < 10 ? '0' + nibble : 'a' + nibble - 10;
    }

    /**
     * Writes the decimal digits of {@code v} into {@code to} from {@code at} (at most 20 bytes), right to left once
     * its length is known; returns the end. The one integer formatter of the replies and
     * {@link PrometheusTextWriter}.
     */
    static int digits(byte[] to, int at, long v) {
        if (v == Long.MIN_VALUE) {
            for (int i = 0; i < MIN_LONG.length(); i++) {
                to[at++] = (byte) MIN_LONG.charAt(i);
            }
            return at;
        }
        if (v < 0) {
            to[at++] = '-';
            v = -v;
        }
        int end = at + length(v);
        for (int i = end - 1; i >= at; i--) {
            to[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return end;
    }

    /** How many digits {@code v} (not negative) has. */
    private static int length(long v) {
        int n = 1;
        while (n < POWERS_OF_TEN.length && v >= POWERS_OF_TEN[n]) {
            n++;
        }
        return n;
    }

    private static final String MIN_LONG = "-9223372036854775808";
    private static final long[] POWERS_OF_TEN = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L,
            100_000_000L, 1_000_000_000L, 10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L, 10_000_000_000_000L,
            100_000_000_000_000L, 1_000_000_000_000_000L, 10_000_000_000_000_000L, 100_000_000_000_000_000L,
            1_000_000_000_000_000_000L};

    /**
     * A member name as its bytes, {@code "name":}, made once: the replies written for every request (the ingest
     * reply's anomalies, {@code /analyze}'s series) copy it rather than check and copy it char by char.
     */
    public static final class Name {
        private final byte[] bytes;

        private Name(byte[] bytes) {
            this.bytes = bytes;
        }

        /** {@code name}: printable ASCII needing no escape, short enough to copy in one piece. */
        public static Name of(String name) {
            int n = name.length();
            if (n > 64) {
                throw new IllegalArgumentException("a name of at most 64 chars: " + name);
            }
            byte[] b = new byte[n + 3];
            b[0] = '"';
            for (int i = 0; i < n; i++) {
                char c = name.charAt(i);
                if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
                    throw new IllegalArgumentException("a name of plain ASCII without escapes: " + name);
                }
                b[i + 1] = (byte) c;
            }
            b[n + 1] = '"';
            b[n + 2] = ':';
            return new Name(b);
        }
    }
}
