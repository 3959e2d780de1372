package dev.pulse.server.analytics.detect;

import java.util.Arrays;

/**
 * The median of a series' recent values and their spread around it, in O(1) per value and a quarter of a kilobyte.
 *
 * <p>While it holds fewer than {@code exactValues} values (after the start and after each restart) both are exact:
 * the median, and half the interquartile range, of a sorted copy (O(n log n) for each of those few values, in a
 * per-thread scratch array, so only the ring of latest values is held per series). From then on each is a stochastic
 * approximation (Robbins and Monro): the median steps up when a value lies above it and down when below, and the
 * spread is the same estimate applied to the distance from the median, so it converges to the median absolute
 * deviation (half the interquartile range again for symmetric data). Steps are scaled by the spread and by a gain
 * of 1/n that shrinks to 2/{@code memory}: recent values count the most, and a spike moves nothing by more than
 * one step. The spread follows the distance from a moving median, so a drifting level does not widen it.
 *
 * <p>The ring holds each value as a float offset from an origin (the first value of an exact phase, then the newest
 * value, moved once per lap of the ring): 24 significant bits of a value's distance from the recent values, where the
 * spread it is measured against is a few such distances, in half a double ring's bytes. (The NAB decisions and the
 * stream families came out the same as with doubles, EVALUATION.md.) The offsets are held in a unit, a power of two:
 * 1, unless an offset would pass {@link #FLOAT_SAFE}, when the unit grows so that it fits (a series around 1e40 or
 * 1e300 keeps its 24 bits; dividing by a power of two rounds nothing). Each re-base (once a lap, and at a restart)
 * chooses it afresh, so a single far value costs the others their precision only while it is in the ring.
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
    /** The largest offset held in the unit, far under a float's largest (about 3.4e38): 2^120. */
    private static final double FLOAT_SAFE = 0x1p120;

    /**
     * A sorted copy of the values of the exact phase, one per thread: it is needed only for the first values after a
     * (re)start, so holding it in every series (8 bytes a value) would be waste.
     */
    private static final ThreadLocal<double[]> SCRATCH = ThreadLocal.withInitial(() -> new double[0]);

    private final double minGain;
    private final int gainValues;   // past this many values 1/n is below minGain
    private final float[] recent;   // the latest values less origin, a ring: guarded by the series' lock

    // All fields below: guarded by the series' lock.
    private double origin;          // what recent's offsets are from
    private double unit = 1.0;      // what one of recent's steps is worth: a power of two, 1 but for huge values
    private double perUnit = 1.0;   // 1 / unit
    private int head;               // slot of recent the next value goes to
    private long count;             // values since the start or the last restart
    private double median;
    private double spread;          // half the interquartile range while exact, then the MAD

    /**
     * @param memory      values the estimates average over once past the exact phase (their gain is 2 / memory)
     * @param exactValues values held exactly after a (re)start; also the most a restart can keep
     */
    StreamingMedian(int memory, int exactValues) {
        if (memory < 2 || exactValues < 1) {
            throw new IllegalArgumentException("memory=" + memory + " exactValues=" + exactValues);
        }
        this.minGain = 2.0 / memory;
        this.gainValues = memory / 2;
        this.recent = new float[exactValues];
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
        float[] r = recent;
        long n = ++count;
        if (n == 1) {
            origin = x;
        }
        r[head] = offset(x - origin);
        head = head + 1 == r.length ? 0 : head + 1;
        if (n <= r.length) {
            // Every value since the (re)start is in recent[0, n): the ring has not wrapped yet.
            estimateExactly((int) n);
            return;
        }
        if (head == 0) {
            moveOrigin(x); // once a lap, to the newest value: the offsets stay small however far or fast the level drifts
        }
        // 1/n only while it can exceed minGain (n <= memory / 2): a division per value is slow.
        double gain = n <= gainValues ? Math.max(1.0 / n, minGain) : minGain;
        double step = spread > 0 ? gain * 2 * spread : gain * (FLAT_STEP * Math.abs(median) + ABSOLUTE_STEP);
        double m = median;
        double d = x - m;
        // Above or below is a coin toss for a branch predictor, so both steps take their sign from copySign, not
        // from a branch (a quarter of the cost, measured). A value equal to the median moves nothing; one at the
        // spread shrinks it.
        median = m + step * MEDIAN_STEP * 0.5 * (d == 0 ? d : Math.copySign(1.0, d));
        double s = spread - step * SPREAD_STEP * Math.copySign(0.5, spread - Math.abs(d));
        spread = s > 0 ? FlushToZero.of(s) : 0.0;
    }

    /** Keeps only the latest {@code keep} values (at most exactValues): the estimates restart exactly from them. */
    void keepLatest(int keep) {
        int cap = recent.length;
        int k = (int) Math.min(Math.min(keep, count), cap);
        int start = head - k;
        if (start < 0) {
            start += cap;
        }
        double[] latest = scratch(cap);
        for (int i = 0; i < k; i++) {
            int from = start + i;
            latest[i] = origin + recent[from >= cap ? from - cap : from] * unit;
        }
        // The newest value is the new origin: the level the restart is about.
        origin = k > 0 ? latest[k - 1] : origin;
        unit = 1.0; // chosen afresh for the values kept
        perUnit = 1.0;
        for (int i = 0; i < k; i++) {
            recent[i] = offset(latest[i] - origin);
        }
        head = k == cap ? 0 : k;
        count = k;
        if (k > 0) {
            estimateExactly(k);
        }
    }

    /** Rewrites every offset from {@code to}; a unit widened for a far value narrows once that value has left. */
    private void moveOrigin(double to) {
        float[] r = recent;
        double from = origin;
        for (int i = 0; i < r.length; i++) {
            r[i] = offset(from + r[i] * unit - to);
        }
        origin = to;
        if (unit > 1.0) {
            narrow();
        }
    }

    /** Makes the unit the least power of two, at least 1, that the offsets held fit (exactly: by a power of two). */
    private void narrow() {
        float[] r = recent;
        double most = 0;
        for (float f : r) {
            most = Math.max(most, Math.abs(f * unit));
        }
        double least = unitFor(most);
        if (least < unit) {
            double grow = unit / least;
            for (int i = 0; i < r.length; i++) {
                r[i] = (float) (r[i] * grow);
            }
            unit = least;
            perUnit = 1.0 / least;
        }
    }

    /** The least power of two, at least 1, in which an offset of magnitude {@code a} stays under FLOAT_SAFE. */
    private static double unitFor(double a) {
        return Math.scalb(1.0, Math.max(0, Math.getExponent(Math.min(a, Double.MAX_VALUE))
                - Math.getExponent(FLOAT_SAFE) + 1));
    }

    /** {@code d} in the unit, as a float; first widens the unit when {@code d} would not fit it. */
    private float offset(double d) {
        float f = (float) (d * perUnit);
        return Math.abs(f) <= FLOAT_SAFE ? f : (float) widen(d);
    }

    /**
     * Makes the unit a power of two in which {@code d} fits (a difference past a double's range counts as its
     * largest), rescales the offsets held (exactly: by a power of two), and returns {@code d} in it.
     */
    private double widen(double d) {
        double a = Math.min(Math.abs(d), Double.MAX_VALUE);
        double wider = unitFor(a);
        if (wider > unit) {
            float[] r = recent;
            double shrink = unit / wider; // a power of two, perhaps under a float's least
            for (int i = 0; i < r.length; i++) {
                r[i] = (float) (r[i] * shrink);
            }
            unit = wider;
            perUnit = 1.0 / wider;
        }
        return Math.copySign(a, d) * perUnit;
    }

    /** The median and half the interquartile range of {@code recent[0, n)}, from a sorted copy. */
    private void estimateExactly(int n) {
        double[] sorted = scratch(recent.length);
        float[] r = recent;
        double o = origin;
        for (int i = 0; i < n; i++) {
            sorted[i] = o + r[i] * unit;
        }
        Arrays.sort(sorted, 0, n);
        median = quantile(sorted, 0.5, n);
        spread = (quantile(sorted, 0.75, n) - quantile(sorted, 0.25, n)) * 0.5;
    }

    /** This thread's scratch array, grown once to at least {@code size}. */
    private static double[] scratch(int size) {
        double[] s = SCRATCH.get();
        if (s.length < size) {
            s = new double[size];
            SCRATCH.set(s);
        }
        return s;
    }

    /** The {@code p}-quantile of the first {@code n} values of {@code sorted}, interpolated between neighbours. */
    private static double quantile(double[] sorted, double p, int n) {
        double pos = p * (n - 1);
        int i = (int) pos;
        double f = pos - i;
        return i + 1 < n ? sorted[i] + f * (sorted[i + 1] - sorted[i]) : sorted[i];
    }
}
