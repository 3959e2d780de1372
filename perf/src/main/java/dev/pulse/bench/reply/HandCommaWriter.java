package dev.pulse.bench.reply;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * The reply writer as it was before it placed commas itself (callers wrote {@code raw(',')} between members),
 * kept only as the baseline of {@link JsonReplyBenchmark}.
 */
public final class HandCommaWriter {
    private final StringBuilder digits = new StringBuilder(32);
    private ByteBuf out; // owned by the calling thread, set per reply

    public HandCommaWriter target(ByteBuf out) {
        this.out = out;
        return this;
    }

    public ByteBuf buffer() {
        return out;
    }

    /** Writes ASCII text as it is: punctuation and keys known to need no escaping. */
    public HandCommaWriter raw(String ascii) {
        ascii(out, ascii);
        return this;
    }

    public HandCommaWriter raw(char c) {
        out.writeByte(c);
        return this;
    }

    /** Writes {@code "key":}. The key must need no escaping. */
    public HandCommaWriter key(String key) {
        out.writeByte('"');
        ascii(out, key);
        out.writeByte('"').writeByte(':');
        return this;
    }

    public HandCommaWriter string(CharSequence s) {
        out.writeByte('"');
        for (int i = 0, n = s.length(); i < n; i++) {
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
        out.writeByte('"');
        return this;
    }

    public HandCommaWriter number(long v) {
        writeLong(out, v);
        return this;
    }

    public HandCommaWriter number(double v) {
        if (!Double.isFinite(v)) {
            return raw("null");
        }
        if (v == (long) v && Math.abs(v) < 1e15) {
            writeLong(out, (long) v);
            if (v == 0 && Double.doubleToRawLongBits(v) != 0) {
                return this; // -0.0 prints as 0
            }
            out.writeByte('.').writeByte('0');
            return this;
        }
        digits.setLength(0);
        digits.append(v);
        ascii(out, digits);
        return this;
    }

    public HandCommaWriter bool(boolean v) {
        return raw(v ? "true" : "false");
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
            ascii(out, "-9223372036854775808");
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

    /** As the protocol's {@code Ascii.write}: one bounds check, then bytes set in place. */
    private static void ascii(ByteBuf out, CharSequence s) {
        int n = s.length();
        out.ensureWritable(n);
        int at = out.writerIndex();
        for (int i = 0; i < n; i++) {
            out.setByte(at + i, s.charAt(i));
        }
        out.writerIndex(at + n);
    }
}
