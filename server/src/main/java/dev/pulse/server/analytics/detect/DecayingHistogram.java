package dev.pulse.server.analytics.detect;

/**
 * A histogram of non-negative values on a log scale ({@value #BINS_PER_OCTAVE} bins per doubling, from
 * {@value #MIN_VALUE} to 1,024, larger ones in the top bin) whose old counts fade with a half-life, for quantiles of the recent past.
 * Adding is O(1): instead of decaying every bin, each new value weighs more than the last, and the bins are
 * rescaled when the weights grow large. A quantile scans the bins down from the highest one filled: O(bins);
 * the bins of two quantiles chosen up front are followed as values arrive instead, O(1) to keep and to read.
 *
 * <p>Memory is most of its cost, so: the bins are floats (4 bytes each, 512 for all): a quantile needs their ratios
 * to a few digits, not 16; the weight each value adds is rounded to the float its bin can hold, and the totals add
 * exactly what the bins gained. And the scale ends at 1,024: the detector's residuals are in units of at least 0.3%
 * of the series' range, so a value inside the range is at most about 333 of them, and one far beyond it is the
 * range rule's, whatever the tail says (the NAB and stream-family scores were the same with 24 octaves).
 *
 * <p>Not thread-safe: owned by one detector, guarded by its series' lock.
 */
final class DecayingHistogram {
    static final double MIN_VALUE = 1.0 / 64;
    static final int BINS_PER_OCTAVE = 8;
    static final int BINS = BINS_PER_OCTAVE * 16;
    /** Weights grow by 2^(1/halfLife) per value; past this they and the bins are rescaled, well within a float. */
    private static final double RESCALE_AT = 1e30;

    private final float[] bins = new float[BINS]; // guarded by the series' lock
    private final double growth;

    private final double highQuantile;
    private final double lowQuantile;

    // All fields below: guarded by the series' lock.
    private double total;       // sum of the bins
    private double weight = 1;  // weight of the next value
    private int top;            // highest bin ever filled: quantiles scan down from it
    // Two quantiles' bins, followed as values arrive instead of found by a scan (held here rather than in an object
    // each: 24 bytes where two objects took 64). Once a few values are in, a new one moves a quantile by a bin at
    // most, so keeping it is O(1) where a scan is O(bins). Each is the bin a scan from the top stops in: the highest
    // bin i >= 1 whose weight with all above it exceeds (1 - q) of the total, else 0.
    private int highBin;        // the high quantile's bin
    private int lowBin;         // the low quantile's
    private double highAbove;   // weight in the bins above highBin
    private double lowAbove;    // ... above lowBin

    /**
     * @param halfLife      values after which a value counts half
     * @param highQuantile  a quantile whose bin is kept up to date as values arrive, for {@link #highBin()}
     * @param lowQuantile   another, for {@link #lowBin()}
     */
    DecayingHistogram(double halfLife, double highQuantile, double lowQuantile) {
        this.growth = Math.pow(2.0, 1.0 / halfLife);
        this.highQuantile = highQuantile;
        this.lowQuantile = lowQuantile;
    }

    void add(double v) {
        int k = bin(v);
        float before = bins[k];
        float after = (float) (before + weight);
        bins[k] = after;
        double added = (double) after - before; // exact: what the bin gained
        if (k > top) {
            top = k;
        }
        total += added;
        follow(true, k, added);
        follow(false, k, added);
        weight *= growth;
        if (weight > RESCALE_AT) {
            float[] b = bins;
            total = 0;
            for (int i = 0; i < b.length; i++) {
                b[i] = FlushToZero.of((float) (b[i] / weight));
                total += b[i];
            }
            weight = 1;
            highAbove = weightAbove(highBin);
            lowAbove = weightAbove(lowBin);
        }
    }

    boolean isEmpty() {
        return total == 0;
    }

    /** The upper edge of the bin holding the {@code p}-quantile; 0 when empty. */
    double quantile(double p) {
        if (total == 0) {
            return 0.0;
        }
        double above = (1.0 - p) * total;
        double acc = 0;
        for (int i = top; i > 0; i--) {
            acc += bins[i];
            if (acc > above) {
                return upperEdge(i);
            }
        }
        return upperEdge(0);
    }

    /** The bin holding the high quantile given at construction: {@link #quantile} of it ends in this bin. */
    int highBin() {
        return highBin;
    }

    /** The bin holding the low quantile given at construction. */
    int lowBin() {
        return lowBin;
    }

    /**
     * The bin of {@code v}: its octave above {@link #MIN_VALUE} from the exponent bits, its eighth of that octave
     * from comparisons of the mantissa with 2^(k/8), instead of a logarithm.
     */
    static int bin(double v) {
        if (!(v > MIN_VALUE)) {
            return 0;
        }
        double r = v / MIN_VALUE; // exact: MIN_VALUE is a power of two
        int octave = Math.getExponent(r);
        if (octave >= OCTAVES) {
            return BINS - 1;
        }
        double m = Double.longBitsToDouble(Double.doubleToRawLongBits(r) & MANTISSA_BITS | ONE_BITS); // [1, 2)
        double[] steps = STEPS;
        int eighth = 0;
        for (int k = 1; k < BINS_PER_OCTAVE; k++) {
            eighth += m >= steps[k] ? 1 : 0;
        }
        return octave * BINS_PER_OCTAVE + eighth;
    }

    /** Moves the high (or low) quantile's bin after {@code w} was added to bin {@code k}. */
    private void follow(boolean high, int k, double w) {
        int bin = high ? highBin : lowBin;
        double above = high ? highAbove : lowAbove;
        if (k > bin) {
            above += w;
        }
        double limit = (1.0 - (high ? highQuantile : lowQuantile)) * total;
        float[] b = bins;
        while (above > limit && bin < BINS - 1) {
            bin++;
            above -= b[bin];
        }
        while (bin > 0 && above + b[bin] <= limit) {
            above += b[bin];
            bin--;
        }
        if (high) {
            highBin = bin;
            highAbove = above;
        } else {
            lowBin = bin;
            lowAbove = above;
        }
    }

    /** The weight above {@code bin}, summed afresh after a rescale, so rounding never accumulates. */
    private double weightAbove(int bin) {
        double a = 0;
        for (int i = top; i > bin; i--) {
            a += bins[i];
        }
        return a;
    }

    static double upperEdge(int i) {
        return EDGES[i];
    }

    private static final int OCTAVES = BINS / BINS_PER_OCTAVE;
    private static final long MANTISSA_BITS = (1L << 52) - 1;
    private static final long ONE_BITS = Double.doubleToRawLongBits(1.0);
    /** 2^(k/8), k = 0..7: where each eighth of an octave starts. */
    private static final double[] STEPS = new double[BINS_PER_OCTAVE];
    private static final double[] EDGES = new double[BINS];

    static {
        for (int k = 0; k < BINS_PER_OCTAVE; k++) {
            STEPS[k] = Math.pow(2.0, (double) k / BINS_PER_OCTAVE);
        }
        for (int i = 0; i < BINS; i++) {
            EDGES[i] = MIN_VALUE * Math.pow(2.0, (i + 1.0) / BINS_PER_OCTAVE);
        }
    }
}
