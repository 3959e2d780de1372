package dev.pulse.server.analytics.detect;

/**
 * Values held as 16-bit counts of a unit, a power of two that starts at 1/{@value #FIRST_COUNTS} of the first value
 * written and doubles (halving every count) when a count would overflow: the arithmetic {@link CycleModel}'s shape
 * and {@link SeasonalProfile}'s means share. Stateless.
 */
final class ShortCounts {
    /** Counts the first value is written as: room to grow before the first doubling. */
    static final int FIRST_COUNTS = 4096;
    /** 1.5 x 2^52: a double below 2^51 in magnitude plus and minus this is rounded to the nearest whole number. */
    private static final double ROUNDER = 6755399441055744.0;

    private ShortCounts() {
    }

    /** {@code q} rounded to the nearest whole number, for {@code |q| < 2^51}: no call, no branch. */
    static double round(double q) {
        return q + ROUNDER - ROUNDER;
    }

    /** Whether {@code q} fits a count (false for NaN and the infinities). */
    static boolean fits(double q) {
        return Math.abs(q) <= Short.MAX_VALUE;
    }

    /** The first unit, for the first nonzero finite value {@code v} written. */
    static double firstUnit(double v) {
        return Math.scalb(1.0, Math.getExponent(v) - Integer.numberOfTrailingZeros(FIRST_COUNTS));
    }

    /**
     * The unit at which slot {@code i} can take {@code v} (value units, finite; not 0 while there is no unit yet):
     * added to its count ({@code add}), or as its new count. {@code unit} itself when that fits; the first unit for
     * {@code v} when there was none ({@code unit} 0); else {@code unit} doubled, every count halved, until it fits.
     */
    static double unitToFit(short[] counts, int i, boolean add, double v, double unit) {
        if (unit == 0) {
            unit = firstUnit(v);
        }
        while (Math.abs(Math.rint((add ? counts[i] : 0) + v / unit)) > Short.MAX_VALUE) {
            for (int j = 0; j < counts.length; j++) {
                counts[j] = (short) Math.rint(counts[j] * 0.5);
            }
            unit *= 2;
        }
        return unit;
    }

    /** The sum of the first {@code n} counts. */
    static long sum(short[] counts, int n) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += counts[i];
        }
        return sum;
    }
}
