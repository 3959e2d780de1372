package dev.pulse.server.analytics.detect;

import java.util.Arrays;

/**
 * Remembers the shapes a series has drawn and tells whether the latest one is new. A shape is the last
 * {@link Params#length} values, each quantised into one of {@link Params#levels} bands of the series' own range
 * (its extremes drift back towards a slow mean, with a half-life of 100,000 values, as the robust detector forgets
 * its range). Shapes are remembered as bits of a hash set in two generations: a shape is known when its bit is set
 * in either; every {@link Params#generationValues} values the older generation is dropped, so the memory is bounded
 * and a shape not seen for two generations is new again.
 *
 * <p>On a series whose shapes never repeat (noise) the bits fill up, and a new shape may find its bit set by others:
 * the memory stays bounded and the rule using it is silent there anyway (a new shape is news only where shapes
 * repeat). The defaults (12 bands, 6 values, 2,048 bits, 4,000 values a generation) were chosen on the NAB tuning
 * split (EVALUATION.md).
 *
 * <p>O(1) per value, no allocation; {@code 2 x memoryBits / 8} bytes of bits plus a few scalars. Not thread-safe:
 * guarded by the series' lock.
 */
public final class ShapeNovelty {

    /**
     * @param levels           bands the range is cut into (at most 16)
     * @param length           values in a shape (at most 15)
     * @param memoryBits       bits of each generation's hash set (a power of two, at least 64)
     * @param generationValues values after which the older generation is dropped
     * @param rangeHalfLife    values after which the extremes have moved half-way back to the mean
     */
    public record Params(int levels, int length, int memoryBits, int generationValues, double rangeHalfLife) {
        public static final Params DEFAULTS = new Params(12, 6, 2048, 4000, 100_000);

        public Params {
            if (levels < 2 || levels > 16 || length < 1 || length > 15 || memoryBits < 64
                    || Integer.bitCount(memoryBits) != 1 || generationValues < 1 || !(rangeHalfLife > 0)) {
                throw new IllegalArgumentException("levels=" + levels + " length=" + length + " memoryBits="
                        + memoryBits + " generationValues=" + generationValues + " rangeHalfLife=" + rangeHalfLife);
            }
        }
    }

    /** Weight of a new value in the mean the extremes are forgotten towards. */
    private static final double MEAN_ALPHA = 0.001;
    /**
     * A value widens an open range by at most this many times the range (chosen on the NAB tuning split: 1 lost a
     * window, 3 and 10 were the same as no limit). One absurd value (1e300) otherwise sets the bands' width and the
     * mean for good, and every later shape reads as the same flat one.
     */
    private static final double REACH = 3.0;

    private final Params p;        // shared by every series of a factory
    private final double rangeDecay;
    /** Both generations' bits, one array (one header where two took 32 bytes): {@code current}'s words, the other's. */
    private final long[] bits;     // guarded by the series' lock
    // All fields below: guarded by the series' lock.
    private int current;           // index of this generation's first word in bits; the last one's is the other half
    private int sinceGeneration;   // values since the generations last turned
    private long shape;            // the last `length` symbols, 4 bits each, newest lowest
    private long count;            // values observed
    private double low;            // slowly forgotten minimum
    private double high;           // slowly forgotten maximum
    private double mean;           // slow mean the extremes are forgotten towards

    public ShapeNovelty(Params p) {
        this.p = p;
        this.rangeDecay = 1.0 - Math.pow(0.5, 1.0 / p.rangeHalfLife());
        this.bits = new long[2 * (p.memoryBits() / 64)];
    }

    /** Learns {@code x}; true when the shape ending at it was not in memory (always true for the first values). */
    public boolean observe(double x) {
        long n = count++;
        if (n == 0) {
            low = x;
            high = x;
            mean = x;
        } else {
            double reach = REACH * (high - low);
            if (!(x <= high + reach && x >= low - reach) && reach > 0) {
                x = Math.max(low - reach, Math.min(high + reach, x)); // still in the edge band
            }
            mean = WeightedAverage.step(mean, x, MEAN_ALPHA);
            // x is within reach already (clipped above, or the range is still closed).
            high = ForgottenRange.high(high, x, Double.POSITIVE_INFINITY, 0.0, rangeDecay, mean);
            low = ForgottenRange.low(low, x, Double.POSITIVE_INFINITY, 0.0, rangeDecay, mean);
        }
        final Params p = this.p;
        int levels = p.levels();
        double width = high - low;
        int symbol = width > 0 ? (int) ((x - low) / width * levels) : 0;
        symbol = Math.min(levels - 1, Math.max(0, symbol));
        shape = ((shape << 4) | symbol) & ((1L << (4 * p.length())) - 1);
        long h = shape * 0x9E3779B97F4A7C15L;
        int bit = (int) (h >>> 40) & (p.memoryBits() - 1);
        long[] g = bits;
        int half = g.length >>> 1;
        int cur = current;
        int word = cur + (bit >>> 6);
        int old = word < half ? word + half : word - half;
        long b = 1L << bit;
        boolean known = ((g[word] | g[old]) & b) != 0;
        g[word] |= b;
        if (++sinceGeneration == p.generationValues()) {
            // The last generation is dropped and its words hold the next one.
            int next = cur == 0 ? half : 0;
            Arrays.fill(g, next, next + half, 0L);
            current = next;
            sinceGeneration = 0;
        }
        return !known;
    }
}
