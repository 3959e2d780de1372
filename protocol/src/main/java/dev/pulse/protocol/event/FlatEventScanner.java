package dev.pulse.protocol.event;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The decoder's fast path: parses one event of the shape clients send, a flat JSON object of plain ASCII names, a
 * {@code "source"} string of the source alphabet, a {@code "timestamp"} number or null and metric numbers, straight
 * from the bytes into the {@link EventBatch}. Numbers are read with the exact rule of {@link DecimalParser}, so a
 * value is the same double, bit for bit, as the general path gives. Anything else (an escape, a byte outside ASCII,
 * a number that rule cannot read exactly, a nested value, any error) is {@link #UNUSUAL}: the decoder hands the
 * event to the general path, which decides it. So this path never refuses input, it only accepts what the general
 * path would accept, with the same result.
 *
 * <p>Names come from a small per-decoder cache keyed by their bytes, so a steady stream allocates no names; each
 * cached name remembers the one that followed it, and since clients send their fields in the same order event after
 * event, that guess is tried first and checked with two word compares, without hashing or copying the name. A
 * duplicate is seen by a stamp on the cached name. Not thread-safe: one per decoder.
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
    private static final int MAX_DIGITS = DecimalParser.MAX_DIGITS;
    /** Bytes past a number's start that {@link #plainNumber} may read: its longest accepted number and the byte after. */
    private static final int PLAIN_ROOM = 40;
    private static final long[] LONG_POWERS = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L};
    private static final double[] POWERS = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
            1e13, 1e14, 1e15};
    private static final boolean[] SOURCE_CHAR = new boolean[256];

    static {
        for (int c = 0; c < 128; c++) {
            SOURCE_CHAR[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '.' || c == ':' || c == '-';
        }
    }

    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final EventBatch batch;
    private final Name[] cache = new Name[CACHE_SIZE]; // by a hash of the bytes; owned by the decoder's thread

    // All fields below: owned by the decoder's thread.
    private Name first;    // the first name of the last event: the guess for the next event's first field
    private int serial;    // counts event attempts, for the duplicate check (Name.seenIn)
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
        int attempt = nextSerial();
        int fields = 0;
        Name guess = first;
        Name previous = null;
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
            i++;
            Name n;
            if (guess != null && guess.matchesField(b, i, end)) {
                n = guess; // the name, its closing quote and the colon in one compare
                i += n.length + 2;
                if (b[i] <= ' ') {
                    i = skipSpace(b, i, end);
                    if (i >= end) {
                        return NEED_MORE;
                    }
                }
            } else if (guess != null && guess.matches(b, i, end)) {
                n = guess;
                i = valueStart(b, i + n.length + 1, end);
                if (i < 0) {
                    return i;
                }
            } else {
                int close = nameEnd(b, i, end);
                if (close < 0) {
                    return close;
                }
                n = lookup(b, i, close - i);
                if (n == null) {
                    return UNUSUAL;
                }
                if (previous == null) {
                    first = n;
                } else {
                    previous.next = n;
                }
                i = valueStart(b, close + 1, end);
                if (i < 0) {
                    return i;
                }
            }
            if (n.seenIn == attempt || ++fields > EventDecoder.MAX_FIELDS_PER_EVENT) {
                return UNUSUAL; // a name twice, or too many: the general path words it
            }
            n.seenIn = attempt;
            byte kind = n.kind;
            if (kind == KIND_METRIC) {
                i = number(b, i, end);
                if (i < 0) {
                    return i;
                }
                batch.addMetric(n.string, number);
            } else if (kind == KIND_TIMESTAMP) {
                i = timestamp(b, i, end);
                if (i < 0) {
                    return i;
                }
            } else if (kind == KIND_SOURCE) {
                i = source(b, i, end);
                if (i < 0) {
                    return i;
                }
            } else {
                return UNUSUAL;
            }
            previous = n;
            guess = n.next;
            if (i >= end) {
                return NEED_MORE;
            }
            int c = b[i];
            if (c <= ' ') { // whitespace is rare between fields: looked for only when a byte may be some
                i = skipSpace(b, i, end);
                if (i >= end) {
                    return NEED_MORE;
                }
                c = b[i];
            }
            if (c == '}') {
                return batch.currentMetricCount() > 0 ? i + 1 : UNUSUAL; // none: the general path words it
            }
            if (c != ',' || ++i >= end) {
                return c != ',' ? UNUSUAL : NEED_MORE;
            }
            if (b[i] <= ' ') {
                i = skipSpace(b, i, end);
                if (i >= end) {
                    return NEED_MORE;
                }
            }
        }
    }

    /** The serial of a new event attempt; at a wrap-around the cached names' stamps are cleared (evicted ones are never used). */
    private int nextSerial() {
        if (++serial == 0) {
            for (Name n : cache) {
                if (n != null) {
                    n.seenIn = 0;
                }
            }
            serial = 1;
        }
        return serial;
    }

    /**
     * The index of the closing quote of the name starting at {@code b[i]}, or {@link #NEED_MORE}, or
     * {@link #UNUSUAL} for a control character, an escape or a byte of a multi-byte character.
     */
    private static int nameEnd(byte[] b, int i, int end) {
        for (; i < end; i++) {
            int c = b[i];
            if (c == '"') {
                return i;
            }
            if (c < 0x20 || c == '\\') { // a byte of a multi-byte character is negative
                return UNUSUAL;
            }
        }
        return NEED_MORE;
    }

    /** Past the {@code ':'} after a name (at {@code b[i]}, maybe after spaces) and the spaces after it. */
    private static int valueStart(byte[] b, int i, int end) {
        i = skipSpace(b, i, end);
        if (i >= end) {
            return NEED_MORE;
        }
        if (b[i] != ':') {
            return UNUSUAL;
        }
        i = skipSpace(b, i + 1, end);
        return i < end ? i : NEED_MORE;
    }

    /** A timestamp at {@code b[i]}: a number (into the batch) or null. Returns the index after it. */
    private int timestamp(byte[] b, int i, int end) {
        if (b[i] == 'n') {
            if (end - i < 4) {
                return NEED_MORE;
            }
            return b[i + 1] == 'u' && b[i + 2] == 'l' && b[i + 3] == 'l' ? i + 4 : UNUSUAL;
        }
        i = number(b, i, end);
        if (i >= 0) {
            batch.setTimestamp(number);
        }
        return i;
    }

    /**
     * A source string of the source alphabet at {@code b[i]}, into the batch, copied as it is checked. Returns the
     * index after it.
     */
    private int source(byte[] b, int i, int end) {
        if (b[i] != '"') {
            return UNUSUAL;
        }
        int from = ++i;
        int limit = Math.min(end, from + Names.MAX_SOURCE_LENGTH + 1); // the quote of the longest name, or too long
        char[] to = batch.sourceRoom(Names.MAX_SOURCE_LENGTH + 1);
        int shift = batch.sourceEnd() - from;
        while (true) {
            if (i >= limit) {
                return i >= end ? NEED_MORE : UNUSUAL;
            }
            int c = b[i];
            if (c == '"') {
                break;
            }
            if (!SOURCE_CHAR[c & 0xff]) {
                return UNUSUAL;
            }
            to[shift + i] = (char) c;
            i++;
        }
        int n = i - from;
        if (n < 1) {
            return UNUSUAL;
        }
        batch.commitSource(n);
        return i + 1;
    }

    /**
     * Reads the JSON number at {@code b[i]} into {@link #number}; returns the index after it. The digits are counted
     * and scaled exactly as {@link DecimalParser#parse} does, and the grammar is JSON's (no leading zero, no bare
     * dot, an exponent with digits), so what this accepts the general path reads as the same double.
     */
    private int number(byte[] b, int i, int end) {
        if (end - i > PLAIN_ROOM) {
            int r = plainNumber(b, i);
            if (r >= 0) {
                return r;
            }
        }
        return anyNumber(b, i, end);
    }

    /**
     * The common number, {@code -?digits(.digits)?} with at most {@link #MAX_DIGITS} digits in all (leading zeros
     * included) and at most 15 after the dot, read with room to spare so no byte is checked against the end: small
     * enough to be inlined into the field loop, and its mantissa and scale are those {@link DecimalParser#value}
     * takes. Returns -1 for anything else (an exponent, more digits, bad grammar, a value {@link EiselLemire} is
     * unsure of), which {@link #anyNumber} then reads or refuses from the start.
     *
     * <p>The integer part and the fraction are each found and converted eight bytes at a time ({@link #digitRun},
     * {@link #valueOfDigits}), without a loop over their digits.
     */
    private int plainNumber(byte[] b, int i) {
        boolean negative = b[i] == '-';
        if (negative) {
            i++;
        }
        long word = (long) WORDS.get(b, i);
        int n = digitRun(word);
        long mantissa;
        if (n == 0 || n > 1 && (byte) word == '0') {
            return -1; // no digit, or a leading zero followed by digits
        }
        if (n < 8) {
            mantissa = valueOfDigits(word, n);
            i += n;
        } else { // a long integer part, a timestamp: digit by digit past the first eight
            mantissa = valueOfEight(word);
            int from = i;
            int limit = from + MAX_DIGITS + 1; // one digit too many is enough to refuse
            int d;
            i += 8;
            while (i < limit && (d = b[i] - '0') >= 0 && d <= 9) {
                mantissa = mantissa * 10 + d;
                i++;
            }
            n = i - from;
        }
        int scale = 0;
        if (b[i] == '.') {
            long fraction = (long) WORDS.get(b, i + 1);
            int f = digitRun(fraction);
            if (f == 8) { // a long fraction (a full-precision double): eight digits, then up to seven more
                long more = (long) WORDS.get(b, i + 9);
                int g = digitRun(more);
                if (g == 8 || n + 8 + g > MAX_DIGITS) {
                    return -1; // too many digits: the byte-by-byte reader decides
                }
                mantissa = (mantissa * 100_000_000L + valueOfEight(fraction)) * LONG_POWERS[g]
                        + (g == 0 ? 0 : valueOfDigits(more, g));
                f += g;
            } else if (f == 0 || n + f > MAX_DIGITS) {
                return -1; // no digit after the dot, or too many
            } else {
                mantissa = mantissa * LONG_POWERS[f] + valueOfDigits(fraction, f);
            }
            scale = -f;
            i += 1 + f;
        } else if (n > MAX_DIGITS) {
            return -1;
        }
        int c = b[i];
        if (c == 'e' || c == 'E' || (c >= '0' && c <= '9')) {
            return -1; // an exponent, or digits past the last read
        }
        double v;
        if (mantissa <= DecimalParser.EXACT_MANTISSA) {
            v = scale == 0 ? (double) mantissa : mantissa / POWERS[-scale];
        } else { // a full-precision double: 16 digits or more
            v = EiselLemire.value(mantissa, scale);
            if (v != v) {
                return -1;
            }
        }
        number = negative ? (mantissa != 0 || scale != 0 ? -v : 0.0) : v;
        return i;
    }

    /**
     * How many of the eight bytes of {@code word} (little-endian), from the first, are ASCII digits. A byte's carry
     * in the test only reaches bytes after it, and only from a byte that is no digit, so the count is exact.
     */
    private static int digitRun(long word) {
        long notDigits = ((word & 0xF0F0F0F0F0F0F0F0L) | (((word + 0x0606060606060606L) & 0xF0F0F0F0F0F0F0F0L) >>> 4))
                ^ 0x3333333333333333L;
        return Long.numberOfTrailingZeros(notDigits) >>> 3;
    }

    /** The value of the first {@code n} (1 to 7) bytes of {@code word}, all ASCII digits, the first the most significant. */
    private static long valueOfDigits(long word, int n) {
        long digits = (word - 0x3030303030303030L) << (64 - 8 * n); // the digits, after 8 - n leading zeros
        return valueOfEightDigits(digits);
    }

    /** The value of eight ASCII digits read as a little-endian word, the first digit the most significant. */
    private static long valueOfEight(long word) {
        return valueOfEightDigits(word - 0x3030303030303030L);
    }

    /** The value of eight digits 0-9, one per byte of a little-endian word, the first the most significant. */
    private static long valueOfEightDigits(long v) {
        v = v * 10 + (v >>> 8); // pairs of digits
        return ((v & 0x000000FF000000FFL) * (100 + (1_000_000L << 32))
                + ((v >>> 16) & 0x000000FF000000FFL) * (1 + (10_000L << 32))) >>> 32;
    }

    /** {@link #number} for any JSON number, with the end checked at every byte. */
    private int anyNumber(byte[] b, int i, int end) {
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
        boolean integral = c != '.';
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
            integral = false;
        }
        return exactly(mantissa, scale, negative, integral, i);
    }

    /**
     * Stores {@code ±mantissa * 10^scale} in {@link #number} and returns {@code next}, or {@link #UNUSUAL} when
     * the rules cannot give it exactly ({@link DecimalParser#value} is NaN). An
     * integral {@code -0} is 0, as the general path reads it (an integer), where {@code -0.0} keeps its sign.
     */
    private int exactly(long mantissa, int scale, boolean negative, boolean integral, int next) {
        double v = DecimalParser.value(mantissa, scale, negative && (mantissa != 0 || !integral));
        if (v != v) {
            return UNUSUAL;
        }
        number = v;
        return next;
    }

    /**
     * The name {@code b[start, start+length)} from the cache, added when new (evicting what held its slot); null
     * when too long to cache.
     */
    private Name lookup(byte[] b, int start, int length) {
        if (length > MAX_CACHED_NAME) {
            return null;
        }
        int h = 0;
        for (int k = start, end = start + length; k < end; k++) {
            h = 31 * h + b[k];
        }
        int slot = (h ^ (h >>> 8)) & (CACHE_SIZE - 1);
        Name cached = cache[slot];
        if (cached != null && cached.length == length && Arrays.equals(cached.bytes, 0, length, b, start, start + length)) {
            return cached;
        }
        String s = new String(b, start, length, StandardCharsets.ISO_8859_1); // ASCII: checked by nameEnd
        byte kind = s.equals("timestamp") ? KIND_TIMESTAMP
                : s.equals("source") ? KIND_SOURCE
                : Names.isValidMetric(s) ? KIND_METRIC : KIND_OTHER;
        if (kind == KIND_METRIC) {
            // interned (once per name and connection): the series is named by this very instance, so lookups
            // compare references
            s = s.intern();
        }
        if (cached != null) {
            cached.evicted = true; // still linked as a guess from other names: a live one is the only one of its name
        }
        Name n = new Name(Arrays.copyOfRange(b, start, start + length), s, kind);
        cache[slot] = n;
        return n;
    }

    /**
     * A field name met on this connection: its bytes (also as two masked little-endian words, so that a guess is
     * checked in two compares), what it is, and the name that followed it last time.
     */
    private static final class Name {
        final byte[] bytes;
        final int length;
        final long head;      // bytes 0-7, zero past the name
        final long headMask;
        final long tail;      // bytes 8-15, zero past the name
        final long tailMask;
        final long fieldHead; // the same of the name followed by its closing quote and a colon: {@code name":}
        final long fieldHeadMask;
        final long fieldTail;
        final long fieldTailMask;
        final String string;
        final byte kind;
        // Owned by the decoder's thread, as the scanner.
        Name next;            // the name after this one in the last event that had it: the guess for the next field
        int seenIn;           // serial of the last event attempt that had this name: the duplicate check
        boolean evicted;      // out of the cache: never a guess again, so one name never has two stamps

        Name(byte[] bytes, String string, byte kind) {
            this.bytes = bytes;
            this.length = bytes.length;
            this.string = string;
            this.kind = kind;
            this.headMask = mask(length);
            this.tailMask = mask(length - 8);
            byte[] padded = Arrays.copyOf(bytes, Math.max(16, length) + 2);
            this.head = (long) WORDS.get(padded, 0) & headMask;
            this.tail = (long) WORDS.get(padded, 8) & tailMask;
            padded[length] = '"';
            padded[length + 1] = ':';
            this.fieldHeadMask = mask(length + 2);
            this.fieldTailMask = mask(length - 6);
            this.fieldHead = (long) WORDS.get(padded, 0) & fieldHeadMask;
            this.fieldTail = (long) WORDS.get(padded, 8) & fieldTailMask;
        }

        /**
         * Whether {@code b[i, end)} starts with this name, its closing quote and a colon, with a byte after them:
         * the usual field, checked in two word compares. False when unsure (a longer name, spaces): then {@link #matches}.
         */
        boolean matchesField(byte[] b, int i, int end) {
            return length <= 14 && i + length + 2 < end && i + 16 <= b.length && !evicted
                    && ((long) WORDS.get(b, i) & fieldHeadMask) == fieldHead
                    && ((long) WORDS.get(b, i + 8) & fieldTailMask) == fieldTail;
        }

        /** The mask of the first {@code n} bytes of a word (none for n <= 0, all for n >= 8). */
        private static long mask(int n) {
            return n <= 0 ? 0L : n >= 8 ? -1L : (1L << (8 * n)) - 1;
        }

        /** Whether {@code b[i, end)} starts with this name and its closing quote. */
        boolean matches(byte[] b, int i, int end) {
            int close = i + length;
            if (close >= end || b[close] != '"' || evicted) {
                return false;
            }
            if (length <= 16 && i + 16 <= b.length) {
                return ((long) WORDS.get(b, i) & headMask) == head && ((long) WORDS.get(b, i + 8) & tailMask) == tail;
            }
            return Arrays.equals(bytes, 0, length, b, i, close);
        }
    }

    /** The index of the first byte at or after {@code i} that is not JSON whitespace, or {@code end}. */
    static int skipSpace(byte[] b, int i, int end) {
        while (i < end) {
            int c = b[i];
            if (c > ' ' || c != ' ' && c != '\n' && c != '\r' && c != '\t') { // most bytes pass the first test
                return i;
            }
            i++;
        }
        return end;
    }
}
