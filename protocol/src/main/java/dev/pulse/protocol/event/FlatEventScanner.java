package dev.pulse.protocol.event;

import java.nio.charset.StandardCharsets;

/**
 * The decoder's fast path: parses one event of the shape clients send, a flat JSON object of plain ASCII names, a
 * {@code "source"} string of the source alphabet, a {@code "timestamp"} number or null and metric numbers, straight
 * from the bytes into the {@link EventBatch}. Numbers are read with the exact rule of {@link DecimalParser}, so a
 * value is the same double, bit for bit, as the general path gives. Anything else (an escape, a byte outside ASCII,
 * a number that rule cannot read exactly, a nested value, any error) is {@link #UNUSUAL}: the decoder hands the
 * event to the general path, which decides it. So this path never refuses input, it only accepts what the general
 * path would accept, with the same result.
 *
 * <p>Metric names come from a small per-decoder cache keyed by their bytes, so a steady stream allocates no names.
 * Not thread-safe: one per decoder.
 */
final class FlatEventScanner {
    /** The bytes ended inside the event: give more, or the general path at the end of the body. */
    static final int NEED_MORE = -1;
    /** Off the fast path: the general path decides the event. */
    static final int UNUSUAL = -2;

    private static final byte KIND_TIMESTAMP = 1;
    private static final byte KIND_SOURCE = 2;
    private static final byte KIND_METRIC = 3;
    private static final byte KIND_OTHER = 4;
    private static final int CACHE_SIZE = 256;
    private static final int MAX_CACHED_NAME = 256;
    private static final int MAX_DIGITS = 15;
    private static final boolean[] SOURCE_CHAR = new boolean[256];

    static {
        for (int c = 0; c < 128; c++) {
            SOURCE_CHAR[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '.' || c == ':' || c == '-';
        }
    }

    private final EventBatch batch;
    private final byte[][] cachedBytes = new byte[CACHE_SIZE][]; // owned by the decoder's thread
    private final String[] cachedNames = new String[CACHE_SIZE];
    private final byte[] cachedKinds = new byte[CACHE_SIZE];
    private String name;   // the name the last kind() looked up
    private double number; // the value the last number() read

    FlatEventScanner(EventBatch batch) {
        this.batch = batch;
    }

    /**
     * Parses the event whose {@code '{'} is at {@code b[pos]}: returns the index after its {@code '}'} with the event
     * added to the batch, or {@link #NEED_MORE} / {@link #UNUSUAL} with the batch as it was.
     */
    int event(byte[] b, int pos, int end) {
        batch.beginEvent();
        int r = fields(b, pos + 1, end);
        if (r < 0) {
            batch.rollbackEvent();
        } else {
            batch.endEvent();
        }
        return r;
    }

    private int fields(byte[] b, int i, int end) {
        boolean sawTimestamp = false;
        boolean sawSource = false;
        int fields = 0;
        i = skipSpace(b, i, end);
        if (i >= end) {
            return NEED_MORE;
        }
        if (b[i] == '}') {
            return UNUSUAL; // no metric: the general path words the error
        }
        while (true) {
            if (b[i] != '"') {
                return UNUSUAL;
            }
            int start = ++i;
            int h = 0;
            while (true) {
                if (i >= end) {
                    return NEED_MORE;
                }
                int c = b[i];
                if (c == '"') {
                    break;
                }
                if (c < 0x20 || c == '\\') { // control, escape, or a byte of a multi-byte character (negative)
                    return UNUSUAL;
                }
                h = 31 * h + c;
                i++;
            }
            int length = i - start;
            i = skipSpace(b, i + 1, end);
            if (i >= end) {
                return NEED_MORE;
            }
            if (b[i] != ':' || ++fields > EventDecoder.MAX_FIELDS_PER_EVENT) {
                return UNUSUAL;
            }
            i = skipSpace(b, i + 1, end);
            if (i >= end) {
                return NEED_MORE;
            }
            byte kind = kind(b, start, length, h);
            if (kind == KIND_METRIC) {
                String metric = name;
                if (batch.hasMetricInstance(metric)) { // names here are interned: the same name is the same instance
                    return UNUSUAL;
                }
                i = number(b, i, end);
                if (i < 0) {
                    return i;
                }
                batch.addMetric(metric, number);
            } else if (kind == KIND_TIMESTAMP) {
                if (sawTimestamp) {
                    return UNUSUAL;
                }
                sawTimestamp = true;
                if (b[i] == 'n') {
                    if (end - i < 4) {
                        return NEED_MORE;
                    }
                    if (b[i + 1] != 'u' || b[i + 2] != 'l' || b[i + 3] != 'l') {
                        return UNUSUAL;
                    }
                    i += 4;
                } else {
                    i = number(b, i, end);
                    if (i < 0) {
                        return i;
                    }
                    batch.setTimestamp(number);
                }
            } else if (kind == KIND_SOURCE) {
                if (sawSource || b[i] != '"') {
                    return UNUSUAL;
                }
                sawSource = true;
                int from = ++i;
                while (true) {
                    if (i >= end) {
                        return NEED_MORE;
                    }
                    int c = b[i];
                    if (c == '"') {
                        break;
                    }
                    if (!SOURCE_CHAR[c & 0xff]) {
                        return UNUSUAL;
                    }
                    i++;
                }
                int n = i - from;
                if (n < 1 || n > Names.MAX_SOURCE_LENGTH) {
                    return UNUSUAL;
                }
                batch.setSource(b, from, n);
                i++;
            } else {
                return UNUSUAL;
            }
            i = skipSpace(b, i, end);
            if (i >= end) {
                return NEED_MORE;
            }
            int c = b[i];
            if (c == '}') {
                return batch.currentMetricCount() > 0 ? i + 1 : UNUSUAL; // none: the general path words it
            }
            if (c != ',') {
                return UNUSUAL;
            }
            i = skipSpace(b, i + 1, end);
            if (i >= end) {
                return NEED_MORE;
            }
        }
    }

    /**
     * Reads the JSON number at {@code b[i]} into {@link #number}; returns the index after it. The digits are counted
     * and scaled exactly as {@link DecimalParser#parse} does, and the grammar is JSON's (no leading zero, no bare
     * dot, an exponent with digits), so what this accepts the general path reads as the same double.
     */
    private int number(byte[] b, int i, int end) {
        boolean negative = b[i] == '-';
        if (negative && ++i >= end) {
            return NEED_MORE;
        }
        int c = b[i];
        long mantissa = 0;
        int digits = 0;
        int scale = 0;
        if (c == '0') {
            i++;
        } else if (c >= '1' && c <= '9') {
            do {
                if (++digits > MAX_DIGITS) {
                    return UNUSUAL;
                }
                mantissa = mantissa * 10 + (c - '0');
                if (++i >= end) {
                    return NEED_MORE;
                }
                c = b[i];
            } while (c >= '0' && c <= '9');
        } else {
            return UNUSUAL;
        }
        if (i >= end) {
            return NEED_MORE;
        }
        c = b[i];
        if (c == '.') {
            int start = ++i;
            while (true) {
                if (i >= end) {
                    return NEED_MORE;
                }
                c = b[i];
                if (c < '0' || c > '9') {
                    break;
                }
                if ((mantissa != 0 || c != '0') && ++digits > MAX_DIGITS) {
                    return UNUSUAL;
                }
                mantissa = mantissa * 10 + (c - '0');
                scale--;
                i++;
            }
            if (i == start) {
                return UNUSUAL;
            }
        }
        if (c == 'e' || c == 'E') {
            if (++i >= end) {
                return NEED_MORE;
            }
            boolean negativeExponent = b[i] == '-';
            if ((negativeExponent || b[i] == '+') && ++i >= end) {
                return NEED_MORE;
            }
            int exponent = 0;
            int start = i;
            while (true) {
                if (i >= end) {
                    return NEED_MORE;
                }
                c = b[i];
                if (c < '0' || c > '9') {
                    break;
                }
                if (exponent > 1000) {
                    return UNUSUAL;
                }
                exponent = exponent * 10 + (c - '0');
                i++;
            }
            if (i == start) {
                return UNUSUAL;
            }
            scale += negativeExponent ? -exponent : exponent;
        }
        double v = DecimalParser.value(mantissa, scale, negative);
        if (v != v) {
            return UNUSUAL;
        }
        number = v;
        return i;
    }

    /** The kind of the name {@code b[start, start+length)}, its String left in {@link #name}. */
    private byte kind(byte[] b, int start, int length, int h) {
        int slot = (h ^ (h >>> 8)) & (CACHE_SIZE - 1);
        byte[] cached = cachedBytes[slot];
        if (cached != null && cached.length == length && same(cached, b, start, length)) {
            name = cachedNames[slot];
            return cachedKinds[slot];
        }
        if (length > MAX_CACHED_NAME) {
            return KIND_OTHER;
        }
        String s = new String(b, start, length, StandardCharsets.ISO_8859_1); // ASCII: checked by the caller
        byte kind = s.equals("timestamp") ? KIND_TIMESTAMP
                : s.equals("source") ? KIND_SOURCE
                : Names.isValidMetric(s) ? KIND_METRIC : KIND_OTHER;
        if (kind == KIND_METRIC) {
            // interned (once per name and connection): the series is named by this very instance, so lookups
            // and the duplicate check compare references
            s = s.intern();
        }
        cachedBytes[slot] = java.util.Arrays.copyOfRange(b, start, start + length);
        cachedNames[slot] = s;
        cachedKinds[slot] = kind;
        name = s;
        return kind;
    }

    private static boolean same(byte[] cached, byte[] b, int start, int length) {
        for (int k = 0; k < length; k++) {
            if (cached[k] != b[start + k]) {
                return false;
            }
        }
        return true;
    }

    /** The index of the first byte at or after {@code i} that is not JSON whitespace, or {@code end}. */
    static int skipSpace(byte[] b, int i, int end) {
        while (i < end) {
            int c = b[i];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return i;
            }
            i++;
        }
        return end;
    }
}
