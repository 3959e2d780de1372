package dev.pulse.protocol.reply;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * Writes JSON text straight into a {@link ByteBuf} and places the commas and colons itself: open a container with
 * {@link #beginObject()} / {@link #beginArray()}, give each member a {@link #name}, then a value. No intermediate
 * strings, no allocation: which open container already holds an element is one bit per depth of a {@code long}, and
 * doubles are written as the shortest decimal that reads back as them ({@link ShortestDouble}).
 *
 * <p>Non-finite doubles are written as {@code null}. Nesting deeper than {@link #MAX_DEPTH} or closing more than was
 * opened throws {@link IllegalStateException}; a name where a value belongs (or the reverse) is not checked.
 * This class is not thread-safe: one instance per thread (an event loop's, or a local one off the loops).
 */
public final class JsonWriter {
    /** Containers open at once; bit {@code d} of {@link #filled} stands for depth {@code d}. */
    public static final int MAX_DEPTH = 63;

    private final ShortestDouble shortest = new ShortestDouble(); // owned by the calling thread
    private ByteBuf out;        // owned by the calling thread, set per reply
    private int depth;          // owned by the calling thread: containers open
    private long filled;        // owned by the calling thread: bit d set once depth d holds an element
    private boolean afterName;  // owned by the calling thread: a name was written, its value comes next

    /** Aims the writer at {@code out}, forgetting any container left open. */
    public JsonWriter target(ByteBuf out) {
        this.out = out;
        depth = 0;
        filled = 0;
        afterName = false;
        return this;
    }

    public ByteBuf buffer() {
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

    public JsonWriter value(CharSequence s) {
        if (s == null) {
            return nullValue();
        }
        quoted(s, comma(), false);
        return this;
    }

    public JsonWriter value(long v) {
        separate();
        writeLong(out, v);
        return this;
    }

    public JsonWriter value(double v) {
        separate();
        if (!Double.isFinite(v)) {
            Ascii.write(out, "null");
            return this;
        }
        if (v == (long) v && Math.abs(v) < 1e15) {
            writeLong(out, (long) v);
            if (v == 0 && Double.doubleToRawLongBits(v) != 0) {
                return this; // -0.0 prints as 0
            }
            out.writeByte('.').writeByte('0');
            return this;
        }
        out.writeBytes(shortest.bytes(), 0, shortest.format(v));
        return this;
    }

    public JsonWriter value(boolean v) {
        separate();
        Ascii.write(out, v ? "true" : "false");
        return this;
    }

    public JsonWriter nullValue() {
        separate();
        Ascii.write(out, "null");
        return this;
    }

    /** Writes {@code json}, a complete value rendered earlier (UTF-8), as the next value. */
    public JsonWriter rawValue(CharSequence json) {
        separate();
        ByteBufUtil.writeUtf8(out, json);
        return this;
    }

    /** Writes {@code json}, a complete value rendered earlier as UTF-8 bytes, as the next value. */
    public JsonWriter rawValue(byte[] json) {
        separate();
        out.writeBytes(json);
        return this;
    }

    private JsonWriter open(char bracket) {
        if (depth == MAX_DEPTH) {
            throw new IllegalStateException("JSON nested too deep: depth=" + depth + " max=" + MAX_DEPTH);
        }
        separate();
        out.writeByte(bracket);
        depth++;
        filled &= ~(1L << depth);
        return this;
    }

    private JsonWriter close(char bracket) {
        if (depth == 0) {
            throw new IllegalStateException("JSON closed with nothing open: bracket=" + bracket);
        }
        depth--;
        out.writeByte(bracket);
        return this;
    }

    private void separate() {
        if (comma() != 0) {
            out.writeByte(',');
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

    /**
     * Writes {@code [,]"s"[:]}. Names and values are mostly plain ASCII: those bytes are set in place after one
     * bounds check; the rest of a string from its first char that needs escaping or UTF-8 goes the slow way.
     */
    private void quoted(CharSequence s, int comma, boolean colon) {
        ByteBuf out = this.out;
        int n = s.length();
        out.ensureWritable(n + 4);
        int at = out.writerIndex();
        if (comma != 0) {
            out.setByte(at++, ',');
        }
        out.setByte(at++, '"');
        int i = 0;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
                break;
            }
            out.setByte(at++, c);
        }
        if (i < n) {
            out.writerIndex(at);
            escapedTail(s, i, n);
            at = out.writerIndex();
            out.ensureWritable(2);
        }
        out.setByte(at++, '"');
        if (colon) {
            out.setByte(at++, ':');
        }
        out.writerIndex(at);
    }

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

    /** Decimal digits of {@code v}, most significant first, without a String. */
    public static void writeLong(ByteBuf out, long v) {
        if (v == Long.MIN_VALUE) {
            Ascii.write(out, "-9223372036854775808");
            return;
        }
        if (v < 0) {
            out.writeByte('-');
            v = -v;
        }
        if (v < 10) {
            out.writeByte((int) ('0' + v));
            return;
        }
        long div = 1;
        while (div <= v / 10) {
            div *= 10;
        }
        while (div > 0) {
            out.writeByte((int) ('0' + (v / div) % 10));
            div /= 10;
        }
    }
}
