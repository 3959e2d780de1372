package dev.pulse.protocol.proto;

/**
 * A cursor over protobuf wire format in a byte array: tags, varints, fixed 64-bit values and length-delimited
 * ranges, with nested messages read by narrowing the limit. No generated classes and nothing allocated.
 *
 * <p>Bad input throws the shared {@link Malformed} (no stack trace, so refusing a body costs no more than reading
 * it); the decoders catch it at their top and turn it into a failure result with {@link #problem()}.
 *
 * <p>Not thread-safe: owned by one decoder on one event loop.
 */
public final class ProtoReader {
    public static final int VARINT = 0;
    public static final int I64 = 1;
    public static final int LEN = 2;
    public static final int I32 = 5;
    /** Deepest nesting a decoder should follow; protobuf's own default is 100. */
    public static final int MAX_DEPTH = 32;

    /** Thrown for bad input; carries no state, the reader's {@link #problem()} says what went wrong. */
    public static final class Malformed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private Malformed() {
            super(null, null, false, false);
        }
    }

    private static final Malformed MALFORMED = new Malformed();

    // All fields: owned by the decoding event loop.
    private byte[] buf;
    private int pos;
    private int limit;
    private int depth;
    private String problem;
    private int problemOffset;

    public void reset(byte[] buf, int off, int len) {
        this.buf = buf;
        this.pos = off;
        this.limit = off + len;
        this.depth = 0;
        this.problem = null;
    }

    public byte[] buffer() {
        return buf;
    }

    public int position() {
        return pos;
    }

    /** The end of the message being read: a caller reading directly from {@link #buffer()} stops here. */
    public int limit() {
        return limit;
    }

    /** Moves back (or on) to {@code position} within the current message, for a second pass over it. */
    public void seek(int position) {
        pos = position;
    }

    public boolean more() {
        return pos < limit;
    }

    /** What was wrong with the input after a {@link Malformed}. */
    public String problem() {
        return problem;
    }

    /** Where in the buffer the problem was found. */
    public int problemOffset() {
        return problemOffset;
    }

    public Malformed fail(String what) {
        problem = what;
        problemOffset = pos;
        return MALFORMED;
    }

    /** Reads a field's tag: field number in the high bits, wire type in the low 3. */
    public int tag() {
        int p = pos;
        if (p < limit) {
            byte b = buf[p];
            if (b > 7) { // one byte, field number 1 to 15: most tags
                pos = p + 1;
                return b;
            }
        }
        long t = varint();
        if (t > Integer.MAX_VALUE || (t >>> 3) == 0) {
            throw fail("invalid field number");
        }
        return (int) t;
    }

    public static int field(int tag) {
        return tag >>> 3;
    }

    public static int wireType(int tag) {
        return tag & 7;
    }

    /** Fails unless the tag has {@code type}: a known field sent with the wrong wire type. */
    public void expect(int tag, int type) {
        if ((tag & 7) != type) {
            throw fail("field " + (tag >>> 3) + " has wire type " + (tag & 7) + ", expected " + type);
        }
    }

    public long varint() {
        int p = pos;
        if (p < limit && buf[p] >= 0) {
            pos = p + 1;
            return buf[p];
        }
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= limit) {
                throw fail("truncated varint");
            }
            byte b = buf[pos++];
            result |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw fail("varint longer than 10 bytes");
    }

    public long fixed64() {
        if (limit - pos < 8) {
            throw fail("truncated fixed64");
        }
        byte[] b = buf;
        int p = pos;
        pos = p + 8;
        return (b[p] & 0xffL) | (b[p + 1] & 0xffL) << 8 | (b[p + 2] & 0xffL) << 16 | (b[p + 3] & 0xffL) << 24
                | (b[p + 4] & 0xffL) << 32 | (b[p + 5] & 0xffL) << 40 | (b[p + 6] & 0xffL) << 48
                | (b[p + 7] & 0xffL) << 56;
    }

    public double double64() {
        return Double.longBitsToDouble(fixed64());
    }

    /** Reads a length prefix and returns the start of the range; the range ends at {@link #position()} + length. */
    public int length() {
        long n = varint();
        if (n < 0 || n > limit - pos) {
            throw fail("length past the end of its message");
        }
        return (int) n;
    }

    /** Enters a nested message of {@code length} bytes at the current position; returns the limit to restore. */
    public int push(int length) {
        if (++depth > MAX_DEPTH) {
            throw fail("nested deeper than " + MAX_DEPTH);
        }
        int outer = limit;
        limit = pos + length;
        return outer;
    }

    /** Leaves a nested message: skips what is left of it and restores the outer limit. */
    public void pop(int outer) {
        pos = limit;
        limit = outer;
        depth--;
    }

    public void skipBytes(int n) {
        pos += n;
    }

    /** Skips a field of an unknown number (forward compatibility); groups are refused. */
    public void skip(int tag) {
        switch (tag & 7) {
            case VARINT -> varint();
            case I64 -> {
                if (limit - pos < 8) {
                    throw fail("truncated fixed64");
                }
                pos += 8;
            }
            case LEN -> {
                int n = length(); // before reading pos: "pos += length()" would add to the pos before the prefix
                pos += n;
            }
            case I32 -> {
                if (limit - pos < 4) {
                    throw fail("truncated fixed32");
                }
                pos += 4;
            }
            default -> throw fail("unsupported wire type " + (tag & 7));
        }
    }
}
