package dev.pulse.protocol.event;

import java.math.BigInteger;

/**
 * The correctly rounded double nearest {@code mantissa * 10^exponent} for a mantissa of 64 bits, such as the numbers
 * Python, JavaScript and Go clients write ({@code 47.839203847293844}, {@code 1764937612.3456178}), where one
 * division is not exact. The Eisel-Lemire algorithm (D. Lemire, "Number parsing at a gigabyte per second", 2021, as
 * Go's {@code strconv} has it): one or two 64 x 64-bit products with a 128-bit power of ten, truncated. When the
 * truncation leaves the rounding in doubt, or the result is subnormal or past the largest double, it answers NaN
 * and the caller reads the number another way, so every double it gives is {@link Double#parseDouble}'s.
 *
 * <p>No allocation; the table of powers (about 11 KB) is built once.
 */
final class EiselLemire {
    private static final int MIN_EXPONENT = -348;
    private static final int MAX_EXPONENT = 347;
    /** Per power of ten from MIN_EXPONENT: its 128-bit mantissa, rounded down, high word first, top bit set. */
    private static final long[] POWERS = new long[2 * (MAX_EXPONENT - MIN_EXPONENT + 1)];

    static {
        // Step by step from 10^0: built once, on the first number that needs it (on an event loop), in about 7 ms on a
        // cold JVM where a power and a division per entry took 20-24. Upwards 10^e exactly; downwards
        // floor(2^1300 / 10^n), since a floor divided by 10 and floored is the floor of the quotient (10^348 < 2^1157:
        // each quotient keeps 144 bits or more). Each is cut to its top 128 bits.
        BigInteger up = BigInteger.ONE;
        for (int e = 0; e <= MAX_EXPONENT; e++, up = up.multiply(BigInteger.TEN)) {
            store(e, up);
        }
        BigInteger down = BigInteger.ONE.shiftLeft(1300);
        for (int e = -1; e >= MIN_EXPONENT; e--) {
            down = down.divide(BigInteger.TEN);
            store(e, down);
        }
    }

    /** Stores the top 128 bits of {@code m} (shifted up if it has fewer) as 10^e's mantissa. */
    private static void store(int e, BigInteger m) {
        int shift = m.bitLength() - 128;
        BigInteger top = shift >= 0 ? m.shiftRight(shift) : m.shiftLeft(-shift);
        int i = 2 * (e - MIN_EXPONENT);
        POWERS[i] = top.shiftRight(64).longValue();
        POWERS[i + 1] = top.longValue();
    }

    private EiselLemire() {
    }

    /**
     * The double nearest {@code mantissa * 10^exponent} (mantissa read as unsigned, nonzero), or NaN when this
     * algorithm cannot be sure of it.
     */
    static double value(long mantissa, int exponent) {
        if (mantissa == 0 || exponent < MIN_EXPONENT || exponent > MAX_EXPONENT) {
            return Double.NaN;
        }
        int clz = Long.numberOfLeadingZeros(mantissa);
        long man = mantissa << clz;
        long exp2 = ((217_706L * exponent) >> 16) + 64 + 1023 - clz; // 217706 / 2^16: log2(10)
        int i = 2 * (exponent - MIN_EXPONENT);
        long powHi = POWERS[i];
        long xHi = unsignedMultiplyHigh(man, powHi);
        long xLo = man * powHi;
        if ((xHi & 0x1FF) == 0x1FF && Long.compareUnsigned(xLo + man, man) < 0) {
            // The truncated power may be too small to decide: bring in its lower word.
            long powLo = POWERS[i + 1];
            long yHi = unsignedMultiplyHigh(man, powLo);
            long yLo = man * powLo;
            long mergedHi = xHi;
            long mergedLo = xLo + yHi;
            if (Long.compareUnsigned(mergedLo, xLo) < 0) {
                mergedHi++;
            }
            if ((mergedHi & 0x1FF) == 0x1FF && mergedLo + 1 == 0 && Long.compareUnsigned(yLo + man, man) < 0) {
                return Double.NaN;
            }
            xHi = mergedHi;
            xLo = mergedLo;
        }
        long msb = xHi >>> 63;
        long bits = xHi >>> (msb + 9); // 54 bits
        exp2 -= 1 ^ msb;
        if (xLo == 0 && (xHi & 0x1FF) == 0 && (bits & 3) == 1) {
            return Double.NaN; // exactly half-way, as far as these bits tell
        }
        bits += bits & 1; // to 53 bits, half-way rounded up
        bits >>>= 1;
        if (bits >>> 53 > 0) {
            bits >>>= 1;
            exp2++;
        }
        if (exp2 - 1 < 0 || exp2 - 1 >= 0x7FF - 1) {
            return Double.NaN; // subnormal, or past the largest double
        }
        return Double.longBitsToDouble(exp2 << 52 | bits & 0x000F_FFFF_FFFF_FFFFL);
    }

    /** The high word of the unsigned 128-bit product (Math.unsignedMultiplyHigh from Java 18). */
    private static long unsignedMultiplyHigh(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }
}
