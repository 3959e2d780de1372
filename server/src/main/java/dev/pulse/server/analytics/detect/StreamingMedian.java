package dev.pulse.server.analytics.detect;

import java.util.Arrays;

/**
 * The median of a series' recent values and their spread around it, in O(1) per value and about a kilobyte.
 *
 * <p>While it holds fewer than {@code exactValues} values (after the start and after each restart) both are exact:
 * the median, and half the interquartile range, of a small sorted copy. From then on each is a stochastic
 * approximation (Robbins and Monro): the median steps up when a value lies above it and down when below, and the
 * spread is the same estimate applied to the distance from the median, so it converges to the median absolute
 * deviation (half the interquartile range again for symmetric data). Steps are scaled by the spread and by a gain
 * of 1/n that shrinks to 2/{@code memory}: recent values count the most, and a spike moves nothing by more than
 * one step. The spread follows the distance from a moving median, so a drifting level does not widen it.
 *
 * <p>Not thread-safe: owned by one detector, guarded by its series' lock.
 */
final class StreamingMedian {
    /**
     * Steps are gain x (2 x spread, the interquartile range) x this: 1 / (density at the median x interquartile
     * range) for Gaussian data, which makes the estimate's steps the size its error calls for.
     */
    private static final double MEDIAN_STEP = 1.858;
    /** The same for the spread: 1 / (density of |x - median| at the MAD x interquartile range), Gaussian. */
    private static final double SPREAD_STEP = 1.165;
    /** A spread of 0 (a flat series) would freeze the estimates: steps then are this share of the level. */
    private static final double FLAT_STEP = 1e-9;
    private static final double ABSOLUTE_STEP = 1e-12;

    private final double minGain;
    private final double[] recent;  // the latest keepValues values, a ring: guarded by the series' lock
    private final double[] sorted;  // the first exactValues values since a (re)start, sorted; same guard

    // All fields below: guarded by the series' lock.
    private int head;               // slot of recent the next value goes to
    private long count;             // values since the start or the last restart
    private double median;
    private double spread;          // half the interquartile range while exact, then the MAD

    /**
     * @param memory      values the estimates average over once past the exact phase (their gain is 2 / memory)
     * @param exactValues values held exactly after a (re)start; also the most a restart can keep
     */
    StreamingMedian(int memory, int exactValues) {
        this(memory, exactValues, exactValues);
    }

    /**
     * @param keepValues the most a restart can keep (at most exactValues): only that many of the latest values
     *                   are held, where holding exactValues of them would cost 8 bytes each for nothing
     */
    StreamingMedian(int memory, int exactValues, int keepValues) {
        if (memory < 2 || exactValues < 1 || keepValues < 1 || keepValues > exactValues) {
            throw new IllegalArgumentException("memory=" + memory + " exactValues=" + exactValues
                    + " keepValues=" + keepValues);
        }
        this.minGain = 2.0 / memory;
        this.recent = new double[keepValues];
        this.sorted = new double[exactValues];
    }

    /** Values seen since the start or the last restart. */
    long count() {
        return count;
    }

    /** The median; NaN when empty. */
    double median() {
        return count == 0 ? Double.NaN : median;
    }

    /** The spread around the median (MAD, or half the interquartile range while exact); NaN when empty. */
    double spread() {
        return count == 0 ? Double.NaN : spread;
    }

    void add(double x) {
        double[] r = recent;
        r[head] = x;
        head = head + 1 == r.length ? 0 : head + 1;
        long n = ++count;
        if (n <= sorted.length) {
            insert(x, (int) n);
            estimateExactly((int) n);
            return;
        }
        double gain = Math.max(1.0 / n, minGain);
        double step = spread > 0 ? gain * 2 * spread : gain * (FLAT_STEP * Math.abs(median) + ABSOLUTE_STEP);
        double m = median;
        double d = x - m;
        // Above or below is a coin toss for a branch predictor, so both steps take their sign from copySign, not
        // from a branch (a quarter of the cost, measured). A value equal to the median moves nothing; one at the
        // spread shrinks it.
        median = m + step * MEDIAN_STEP * 0.5 * (d == 0 ? d : Math.copySign(1.0, d));
        double s = spread - step * SPREAD_STEP * Math.copySign(0.5, spread - Math.abs(d));
        spread = s > 0 ? s : 0.0;
    }

    /** Keeps only the latest {@code keep} values (at most keepValues): the estimates restart exactly from them. */
    void keepLatest(int keep) {
        int cap = recent.length;
        int k = (int) Math.min(Math.min(keep, count), cap);
        int start = head - k;
        if (start < 0) {
            start += cap;
        }
        for (int i = 0; i < k; i++) {
            int from = start + i;
            sorted[i] = recent[from >= cap ? from - cap : from];
        }
        System.arraycopy(sorted, 0, recent, 0, k);
        head = k == cap ? 0 : k;
        count = k;
        Arrays.sort(sorted, 0, k);
        if (k > 0) {
            estimateExactly(k);
        }
    }

    /** Inserts {@code x} into the first {@code n - 1} sorted values. */
    private void insert(double x, int n) {
        double[] s = sorted;
        int j = n - 1;
        while (j > 0 && s[j - 1] > x) {
            s[j] = s[j - 1];
            j--;
        }
        s[j] = x;
    }

    private void estimateExactly(int n) {
        median = quantile(0.5, n);
        spread = (quantile(0.75, n) - quantile(0.25, n)) * 0.5;
    }

    /** The {@code p}-quantile of the first {@code n} sorted values, interpolated between neighbours. */
    private double quantile(double p, int n) {
        double pos = p * (n - 1);
        int i = (int) pos;
        double f = pos - i;
        return i + 1 < n ? sorted[i] + f * (sorted[i + 1] - sorted[i]) : sorted[i];
    }
}
