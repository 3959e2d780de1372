package dev.pulse.server.analytics.detect;

/**
 * A histogram of non-negative values on a log scale ({@value #BINS_PER_OCTAVE} bins per doubling, from
 * {@value #MIN_VALUE} to about 10^5) whose old counts fade with a half-life, for quantiles of the recent past.
 * Adding is O(1): instead of decaying every bin, each new value weighs more than the last, and the bins are
 * rescaled when the weights grow large. A quantile scans the bins down from the highest one filled: O(bins);
 * {@link #locateQuantiles} finds two in one scan.
 *
 * <p>Not thread-safe: owned by one detector, guarded by its series' lock.
 */
final class DecayingHistogram {
    static final double MIN_VALUE = 1.0 / 64;
    static final int BINS_PER_OCTAVE = 8;
    static final int BINS = BINS_PER_OCTAVE * 24;
    private static final double RESCALE_AT = 1e100;

    private final double[] bins = new double[BINS];
    private final double growth;

    // All fields: guarded by the series' lock.
    private double total;       // sum of the bins
    private double weight = 1;  // weight of the next value
    private int top;            // highest bin ever filled: quantiles scan down from it
    private int highBin;        // set by locateQuantiles
    private int lowBin;         // set by locateQuantiles

    /** @param halfLife values after which a value counts half */
    DecayingHistogram(double halfLife) {
        this.growth = Math.pow(2.0, 1.0 / halfLife);
    }

    void add(double v) {
        int k = bin(v);
        bins[k] += weight;
        if (k > top) {
            top = k;
        }
        total += weight;
        weight *= growth;
        if (weight > RESCALE_AT) {
            double[] b = bins;
            for (int i = 0; i < b.length; i++) {
                b[i] /= weight;
            }
            total /= weight;
            weight = 1;
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

    /**
     * Finds the bins of the {@code high}- and {@code low}-quantiles ({@code high >= low}) in one scan down from the
     * top, for {@link #highBin()} and {@link #lowBin()}: the bins two {@link #quantile} calls end in.
     */
    void locateQuantiles(double high, double low) {
        double aboveHigh = (1.0 - high) * total;
        double aboveLow = (1.0 - low) * total;
        double acc = 0;
        int hi = -1;
        for (int i = top; i > 0; i--) {
            acc += bins[i];
            if (hi < 0 && acc > aboveHigh) {
                hi = i;
            }
            if (acc > aboveLow) {
                highBin = hi;
                lowBin = i;
                return;
            }
        }
        highBin = Math.max(hi, 0);
        lowBin = 0;
    }

    int highBin() {
        return highBin;
    }

    int lowBin() {
        return lowBin;
    }

    static int bin(double v) {
        if (!(v > MIN_VALUE)) {
            return 0;
        }
        int i = (int) (BINS_PER_OCTAVE * (Math.log(v / MIN_VALUE) * INV_LN2));
        return Math.min(BINS - 1, i);
    }

    static double upperEdge(int i) {
        return EDGES[i];
    }

    private static final double INV_LN2 = 1.0 / Math.log(2.0);
    private static final double[] EDGES = new double[BINS];

    static {
        for (int i = 0; i < BINS; i++) {
            EDGES[i] = MIN_VALUE * Math.pow(2.0, (i + 1.0) / BINS_PER_OCTAVE);
        }
    }
}
