package dev.pulse.protocol.remote;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Decoder of the snappy block format (the one Prometheus remote write uses, no framing), into a caller's array.
 *
 * <p>The length the block declares is read first ({@link #declaredLength}) so the caller can refuse it before
 * allocating anything; {@link #decompress} then writes exactly that many bytes and fails, never overruns, on a
 * block that lies about it (bytes of {@code out} past {@code expected} are never touched). Short literals and copies
 * move eight bytes a step: a remote-write body is mostly copies of 4 to 64 bytes, where a call to
 * {@code System.arraycopy} per copy costs more than the copy. Pure Java: no native library to load, no allocation.
 */
public final class Snappy {
    /** Returned by {@link #declaredLength} for a header that is not a valid varint of at most 32 bits. */
    public static final long MALFORMED = -1;
    /** Literals up to this long are copied a word at a time; longer ones by {@code System.arraycopy}. */
    private static final int SHORT = 64;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Snappy() {
    }

    /** The uncompressed length the block declares, or {@link #MALFORMED}. Up to 2^32 - 1. */
    public static long declaredLength(byte[] in, int off, int len) {
        long value = 0;
        for (int i = 0; i < 5; i++) {
            if (i >= len) {
                return MALFORMED;
            }
            int b = in[off + i] & 0xff;
            value |= (long) (b & 0x7f) << (7 * i);
            if (b < 0x80) {
                return value > 0xffffffffL ? MALFORMED : value;
            }
        }
        return MALFORMED;
    }

    /** Bytes the length header takes. Call only after {@link #declaredLength} succeeded. */
    static int headerLength(byte[] in, int off) {
        int n = 1;
        while ((in[off + n - 1] & 0x80) != 0) {
            n++;
        }
        return n;
    }

    /**
     * Decompresses the block {@code in[off, off+len)} into {@code out[0, expected)}, where {@code expected} is its
     * {@link #declaredLength} and {@code out} holds at least that many bytes. Returns null on success, else what
     * is wrong with the block.
     */
    public static String decompress(byte[] in, int off, int len, byte[] out, int expected) {
        int ip = off + headerLength(in, off);
        int end = off + len;
        int op = 0;
        while (ip < end) {
            int tag = in[ip++] & 0xff;
            int kind = tag & 3;
            if (kind == 0) {
                int n = tag >>> 2;
                if (n >= 60) {
                    int extra = n - 59;
                    if (ip + extra > end) {
                        return "truncated literal length";
                    }
                    long l = 0;
                    for (int i = 0; i < extra; i++) {
                        l |= (long) (in[ip++] & 0xff) << (8 * i);
                    }
                    if (l >= Integer.MAX_VALUE) {
                        return "literal longer than the block";
                    }
                    n = (int) l;
                }
                n++;
                if (n > end - ip) {
                    return "truncated literal";
                }
                if (n > expected - op) {
                    return "literal past the declared length";
                }
                int words = roundUp(n);
                if (n <= SHORT && words <= end - ip && words <= expected - op) {
                    copyWords(in, ip, out, op, n);
                } else {
                    System.arraycopy(in, ip, out, op, n);
                }
                ip += n;
                op += n;
                continue;
            }
            int n;
            int offset;
            if (kind == 1) {
                if (ip >= end) {
                    return "truncated copy";
                }
                n = 4 + ((tag >>> 2) & 7);
                offset = ((tag >>> 5) << 8) | (in[ip++] & 0xff);
            } else if (kind == 2) {
                if (ip + 2 > end) {
                    return "truncated copy";
                }
                n = (tag >>> 2) + 1;
                offset = (in[ip] & 0xff) | ((in[ip + 1] & 0xff) << 8);
                ip += 2;
            } else {
                if (ip + 4 > end) {
                    return "truncated copy";
                }
                n = (tag >>> 2) + 1;
                offset = (in[ip] & 0xff) | ((in[ip + 1] & 0xff) << 8) | ((in[ip + 2] & 0xff) << 16)
                        | ((in[ip + 3] & 0xff) << 24);
                ip += 4;
            }
            if (offset <= 0 || offset > op) {
                return "copy from before the start";
            }
            if (n > expected - op) {
                return "copy past the declared length";
            }
            int from = op - offset;
            if (offset >= Long.BYTES && roundUp(n) <= expected - op) {
                copyWords(out, from, out, op, n); // each word read lies before the one written: overlap is safe
            } else if (offset >= n) {
                System.arraycopy(out, from, out, op, n);
            } else {
                for (int i = 0; i < n; i++) {
                    out[op + i] = out[from + i];
                }
            }
            op += n;
        }
        return op == expected ? null : "shorter than the declared length";
    }

    /**
     * Copies {@code n} bytes eight at a time, so up to seven more past the end: the caller checked they are inside
     * both arrays, and bytes written past {@code to + n} are overwritten by the next literal or copy.
     */
    private static void copyWords(byte[] src, int from, byte[] dst, int to, int n) {
        for (int i = 0; i < n; i += Long.BYTES) {
            LONGS.set(dst, to + i, (long) LONGS.get(src, from + i));
        }
    }

    private static int roundUp(int n) {
        return (n + Long.BYTES - 1) & -Long.BYTES;
    }
}
