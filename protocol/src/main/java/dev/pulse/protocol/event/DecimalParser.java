package dev.pulse.protocol.event;

/**
 * Parses the JSON numbers events carry ({@code 45.5}, {@code 1700000000}, {@code -1.5e-3},
 * {@code 47.839203847293844}) straight from the parser's char buffer, exactly and without allocation. A mantissa
 * below 2^53 and a power of ten of at most 22 are both exact doubles, so one multiplication or division is
 * correctly rounded (Clinger's fast path); a mantissa of up to {@link #MAX_DIGITS} digits, the full-precision
 * doubles of Python or JavaScript, goes through {@link EiselLemire}. Anything else returns {@link Double#NaN},
 * which a valid JSON number never is, and the caller falls back to the general parser.
 */
final class DecimalParser {
    private static final double[] POWERS = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
            1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    /** The most significant digits read: a mantissa below 10^18 fits a long. */
    static final int MAX_DIGITS = 18;
    /** Mantissas up to this one are exact doubles. */
    static final long EXACT_MANTISSA = 1L << 53;

    private DecimalParser() {
    }

    /** The value of the JSON number {@code text[offset, offset+length)}, or NaN when off the fast path. */
    static double parse(char[] text, int offset, int length) {
        int i = offset;
        int end = offset + length;
        boolean negative = i < end && text[i] == '-';
        if (negative) {
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int scale = 0;
        boolean fraction = false;
        for (; i < end; i++) {
            char c = text[i];
            if (c >= '0' && c <= '9') {
                if (mantissa != 0 || c != '0') {
                    if (++digits > MAX_DIGITS) {
                        return Double.NaN;
                    }
                }
                mantissa = mantissa * 10 + (c - '0');
                if (fraction) {
                    scale--;
                }
            } else if (c == '.' && !fraction) {
                fraction = true;
            } else {
                break;
            }
        }
        if (i < end) {
            char c = text[i];
            if (c != 'e' && c != 'E') {
                return Double.NaN;
            }
            i++;
            boolean negativeExponent = i < end && text[i] == '-';
            if (i < end && (text[i] == '-' || text[i] == '+')) {
                i++;
            }
            int exponent = 0;
            int start = i;
            for (; i < end; i++) {
                char d = text[i];
                if (d < '0' || d > '9' || exponent > 1000) {
                    return Double.NaN;
                }
                exponent = exponent * 10 + (d - '0');
            }
            if (i == start) {
                return Double.NaN;
            }
            scale += negativeExponent ? -exponent : exponent;
        }
        return value(mantissa, scale, negative);
    }

    /**
     * Whether one correctly rounded operation gives {@code mantissa * 10^scale}: the mantissa (at most
     * {@link #MAX_DIGITS} digits) and 10^|scale| are both exact doubles.
     */
    static boolean exactInOneStep(long mantissa, int scale) {
        return mantissa <= EXACT_MANTISSA && scale < POWERS.length && -scale < POWERS.length;
    }

    /**
     * {@code ±mantissa * 10^scale} (a mantissa of at most {@link #MAX_DIGITS} digits), correctly rounded, or NaN when
     * neither rule here can give it: the rules both {@link #parse} and the byte scanner use, so they agree bit for bit.
     */
    static double value(long mantissa, int scale, boolean negative) {
        double value;
        if (mantissa == 0) {
            value = 0.0;
        } else if (!exactInOneStep(mantissa, scale)) {
            value = EiselLemire.value(mantissa, scale);
        } else if (scale >= 0) {
            value = mantissa * POWERS[scale];
        } else {
            value = mantissa / POWERS[-scale];
        }
        return negative ? -value : value;
    }
}
