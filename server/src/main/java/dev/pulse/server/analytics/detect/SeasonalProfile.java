package dev.pulse.server.analytics.detect;

/**
 * The shape of a cycle (a day, a week): the expected deviation from the series' level at each phase of the period,
 * learnt from the deviations seen at that phase. A ring of slots, each an exponentially weighted mean, read and
 * updated by linear interpolation between the two slots nearest to a timestamp, so a profile coarser than the
 * sampling still follows a smooth cycle. The level is kept by the caller, so a level shift leaves the shape intact.
 *
 * <p>Costs O(1) per value. Memory, per slot: a float (the deviation needs a float's 7 digits, not a double's 16,
 * relative to itself) and a two-bit count of the values seen, saturating at {@value #MAX_SEEN} (only "none" and
 * "enough" matter): 4.25 bytes where a double and an int took 12. Not thread-safe: owned by one detector, guarded
 * by its series' lock.
 */
final class SeasonalProfile {
    /** Whole numbers below this are exact both as a long and as a double. */
    private static final long EXACT_LONG = 1L << 53;

    private final long periodSeconds;
    /** The most {@link #seen} counts to; {@link #ready} asks for at most this many. */
    static final int MAX_SEEN = 3;
    private static final int SEEN_BITS = 2;
    private static final int SEEN_PER_LONG = Long.SIZE / SEEN_BITS;

    private final float[] mean;    // each slot's expected deviation; guarded by the series' lock
    private final long[] seen;     // values each slot has learnt from, 2 bits a slot; guarded by the series' lock
    private final double alpha;
    private final double slotsPerSecond;

    // Set by locate() for the value being judged; guarded by the series' lock.
    private int lower;
    private int upper;
    private double frac;

    /**
     * @param periodSeconds the period, e.g. 86,400 for a day
     * @param slots         slots per period
     * @param alpha         weight of a new value in the slots it updates
     */
    SeasonalProfile(long periodSeconds, int slots, double alpha) {
        this.periodSeconds = periodSeconds;
        this.mean = new float[slots];
        this.seen = new long[(slots + SEEN_PER_LONG - 1) / SEEN_PER_LONG];
        this.alpha = alpha;
        this.slotsPerSecond = (double) slots / periodSeconds;
    }

    /** Positions the profile on {@code epochSeconds}; {@link #ready}, {@link #expected} and {@link #learn} use it. */
    void locate(double epochSeconds) {
        int slots = mean.length;
        double pos = phase(epochSeconds, periodSeconds) * slotsPerSecond - 0.5;
        int lo = pos < 0 ? -1 : (int) pos; // the floor: pos is at least -0.5
        frac = pos - lo;
        lower = lo < 0 ? lo + slots : lo;
        upper = lower + 1 == slots ? 0 : lower + 1;
    }

    /** Seconds since the start of the period {@code epochSeconds} falls in, in [0, period). */
    static double phase(double epochSeconds, long periodSeconds) {
        double whole = Math.floor(epochSeconds);
        if (Math.abs(whole) < EXACT_LONG) {
            // An integer remainder of the whole seconds, the fraction added back: exact, and a floating-point
            // remainder is a library call costing tens of nanoseconds (events without a timestamp have fractions).
            double phase = Math.floorMod((long) whole, periodSeconds) + (epochSeconds - whole);
            return phase < periodSeconds ? phase : 0.0; // a fraction a hair under 1 may round up to it
        }
        return (epochSeconds % periodSeconds + periodSeconds) % periodSeconds;
    }

    /** True when both slots around the located time have seen at least {@code minSeen} values (at most 3). */
    boolean ready(int minSeen) {
        return seen(lower) >= minSeen && seen(upper) >= minSeen;
    }

    /** Values slot {@code i} has learnt from, up to {@link #MAX_SEEN}. */
    private int seen(int i) {
        return (int) (seen[i / SEEN_PER_LONG] >>> (i % SEEN_PER_LONG * SEEN_BITS)) & MAX_SEEN;
    }

    private void countSeen(int i) {
        if (seen(i) < MAX_SEEN) {
            seen[i / SEEN_PER_LONG] += 1L << (i % SEEN_PER_LONG * SEEN_BITS);
        }
    }

    double expected() {
        return mean[lower] + frac * (mean[upper] - mean[lower]);
    }

    /** Moves the two slots around the located time towards {@code x}, each by its share of the interpolation. */
    void learn(double x) {
        int lo = lower;
        int hi = upper;
        double f = frac;
        double err = x - expected();
        mean[lo] = (float) (seen(lo) == 0 ? x : mean[lo] + alpha * (1.0 - f) * err);
        mean[hi] = (float) (seen(hi) == 0 ? x : mean[hi] + alpha * f * err);
        countSeen(lo);
        countSeen(hi);
    }
}
