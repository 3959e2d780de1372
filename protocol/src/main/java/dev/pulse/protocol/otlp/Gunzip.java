package dev.pulse.protocol.otlp;

import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Bounded gzip inflation into a buffer reused across requests: a body that would inflate past the limit is refused
 * as soon as it does, so a small "gzip bomb" costs at most the limit in memory and the time to inflate that much.
 * Reads one gzip member (RFC 1952: header fields, CRC-32 and size checked).
 *
 * <p>Not thread-safe: one instance per event loop; {@link #close} frees the inflater's native memory.
 */
public final class Gunzip implements AutoCloseable {
    /** What {@link #inflate} returns besides a length. */
    public static final int MALFORMED = -1;
    public static final int TOO_LARGE = -2;

    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final int maxBytes;

    // All fields below: owned by the decoding event loop.
    private byte[] out = new byte[64 * 1024];
    private String message;

    public Gunzip(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The inflated bytes of the last successful {@link #inflate}, from index 0. */
    public byte[] output() {
        return out;
    }

    public String message() {
        return message;
    }

    /** Inflates {@code in[off, off+len)}; returns the inflated length, {@link #MALFORMED} or {@link #TOO_LARGE}. */
    public int inflate(byte[] in, int off, int len) {
        message = null;
        int end = off + len;
        int p = off;
        if (len < 18 || (in[p] & 0xff) != 0x1f || (in[p + 1] & 0xff) != 0x8b || in[p + 2] != 8) {
            return malformed("the body is not gzip");
        }
        int flags = in[p + 3] & 0xff;
        p += 10;
        if ((flags & FEXTRA) != 0) {
            if (p + 2 > end) {
                return malformed("truncated gzip header");
            }
            p += 2 + ((in[p] & 0xff) | ((in[p + 1] & 0xff) << 8));
        }
        if ((flags & FNAME) != 0) {
            p = skipZeroTerminated(in, p, end);
        }
        if ((flags & FCOMMENT) != 0) {
            p = skipZeroTerminated(in, p, end);
        }
        if (p < 0) { // a name or comment without its end: checked before the header CRC's two bytes move p back up
            return malformed("truncated gzip header");
        }
        if ((flags & FHCRC) != 0) {
            p += 2;
        }
        if (p + 8 > end) {
            return malformed("truncated gzip header");
        }
        Inflater inf = inflater;
        inf.reset();
        inf.setInput(in, p, end - p);
        int n = 0;
        try {
            while (!inf.finished()) {
                if (n == out.length) {
                    if (n >= maxBytes) {
                        message = "the body inflates to more than " + maxBytes + " bytes (MAX_DECOMPRESSED_BYTES)";
                        return TOO_LARGE;
                    }
                    byte[] grown = new byte[(int) Math.min(maxBytes, (long) out.length * 2)];
                    System.arraycopy(out, 0, grown, 0, n);
                    out = grown;
                }
                int k = inf.inflate(out, n, Math.min(out.length, maxBytes) - n);
                if (k == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    return malformed("truncated gzip data");
                }
                n += k;
                if (n >= maxBytes && !inf.finished()) {
                    message = "the body inflates to more than " + maxBytes + " bytes (MAX_DECOMPRESSED_BYTES)";
                    return TOO_LARGE;
                }
            }
        } catch (DataFormatException e) {
            return malformed("the gzip data is corrupt");
        }
        int trailer = end - inf.getRemaining();
        if (trailer + 8 != end) {
            return malformed(trailer + 8 > end ? "truncated gzip trailer" : "data follows the gzip member");
        }
        crc.reset();
        crc.update(out, 0, n);
        if ((int) crc.getValue() != le32(in, trailer) || n != le32(in, trailer + 4)) {
            return malformed("the gzip checksum or size does not match");
        }
        return n;
    }

    /** Releases an output buffer grown past {@code bytes}. Call between requests. */
    public void trim(int bytes) {
        if (out.length > bytes) {
            out = new byte[64 * 1024];
        }
    }

    @Override
    public void close() {
        inflater.end();
    }

    private int malformed(String why) {
        message = why;
        return MALFORMED;
    }

    private static int skipZeroTerminated(byte[] in, int p, int end) {
        if (p < 0) {
            return p;
        }
        while (p < end && in[p] != 0) {
            p++;
        }
        return p < end ? p + 1 : -1;
    }

    private static int le32(byte[] b, int p) {
        return (b[p] & 0xff) | ((b[p + 1] & 0xff) << 8) | ((b[p + 2] & 0xff) << 16) | ((b[p + 3] & 0xff) << 24);
    }
}
