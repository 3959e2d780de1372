package dev.pulse.server.analytics.detect;

/**
 * The shape of a cycle (a day, a week): the expected deviation from the series' level at each phase of the period,
 * learnt from the deviations seen at that phase. A ring of slots, each an exponentially weighted mean, read and
 * updated by linear interpolation between the two slots nearest to a timestamp, so a profile coarser than the
 * sampling still follows a smooth cycle. The level is kept by the caller, so a level shift leaves the shape intact.
 *
 * <p>Costs O(1) per value, and O(slots) on the rare doubling of the unit (below). Memory, per slot: a 16-bit count
 * of a unit, a power of two that starts at 1/4,096 of the first deviation learnt and doubles (halving the counts)
 * whenever a slot would overflow: a unit is at most 1/32,768 of the largest deviation, and as a step under half a
 * unit is lost a slot settles within a few units, about 1/10,000 of it (a float: 1/16,777,216; on NAB and the
 * stream families the decisions did not change, EVALUATION.md); and a two-bit count of the values seen, up to
 * {@value #MAX_SEEN} (only "none" and "enough" matter), packed 32 to a long: 2.25 bytes where a double and an int
 * took 12. Not thread-safe: owned by one detector, guarded by its series' lock.
 */
final class SeasonalProfile {
    /** Whole numbers below this are exact both as a long and as a double. */
    static final long EXACT_LONG = 1L << 53;

    private final long periodSeconds;
    /** The most {@link #seen} counts to; {@link #ready} asks for at most this many. */
    static final int MAX_SEEN = 3;


    private final short[] mean;    // each slot's expected deviation, in units; guarded by the series' lock
    private final long[] seen;     // values each slot has learnt from, up to MAX_SEEN, 2 bits a slot; same guard
    private final double alpha;
    private final double slotsPerSecond;

    // Guarded by the series' lock.
    private double unit;           // value of one count of a slot, a power of two; 0 until the first deviation
    private double perUnit = Double.POSITIVE_INFINITY; // 1 / unit
    private int fullSlots;         // slots whose count of values seen is MAX_SEEN

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
        this.mean = new short[slots];
        this.seen = new long[(slots + 31) >>> 5];
        this.alpha = alpha;
        this.slotsPerSecond = (double) slots / periodSeconds;
    }

    /** Positions the profile on {@code epochSeconds}; {@link #ready}, {@link #expected} and {@link #learn} use it. */
    void locate(double epochSeconds) {
        locatePhase(phase(epochSeconds, periodSeconds));
    }

    /**
     * Positions the profile {@code phaseSeconds} into its period ({@link #phase} of a time). A caller that knows the
     * period as a constant finds the phase with a multiplication where this profile's field would cost a long
     * division.
     */
    void locatePhase(double phaseSeconds) {
        int slots = mean.length;
        double pos = phaseSeconds * slotsPerSecond - 0.5;
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
            return phase(Math.floorMod((long) whole, periodSeconds), epochSeconds - whole, periodSeconds);
        }
        return (epochSeconds % periodSeconds + periodSeconds) % periodSeconds;
    }

    /**
     * The phase of whole second {@code second} of the period (in [0, period)) plus {@code fraction} (in [0, 1)), as
     * {@link #phase(double, long)} makes it from them: a caller with two periods, one a multiple of the other, finds
     * the whole seconds of both with one remainder.
     */
    static double phase(long second, double fraction, long periodSeconds) {
        double phase = second + fraction;
        return phase < periodSeconds ? phase : 0.0; // a fraction a hair under 1 may round up to it
    }

    /** True when both slots around the located time have seen at least {@code minSeen} values (at most 3). */
    boolean ready(int minSeen) {
        return saturated() || (seen(lower) >= minSeen && seen(upper) >= minSeen);
    }

    /**
     * True once every slot has seen {@link #MAX_SEEN} values: from then on no count is read or changed (they are
     * all full), which spares a value two reads and two updates of the packed counts, the profile's usual state.
     */
    private boolean saturated() {
        return fullSlots == mean.length;
    }

    /** Values slot {@code i} has learnt from, up to {@link #MAX_SEEN}. */
    private int seen(int i) {
        return (int) (seen[i >>> 5] >>> (i << 1)) & MAX_SEEN; // a long shift takes its count mod 64
    }

    /** Adds one to slot {@code i}'s count of values seen, unless it is at MAX_SEEN. */
    private void countSeen(int i) {
        long w = seen[i >>> 5];
        int c = (int) (w >>> (i << 1)) & MAX_SEEN; // a long shift takes its count mod 64
        if (c < MAX_SEEN) {
            seen[i >>> 5] = w + (1L << (i << 1));
            if (c + 1 == MAX_SEEN) {
                fullSlots++;
            }
        }
    }

    double expected() {
        return (mean[lower] + frac * (mean[upper] - mean[lower])) * unit;
    }

    /** Moves the two slots around the located time towards {@code x}, each by its share of the interpolation. */
    void learn(double x) {
        learn(x, expected());
    }

    /** As {@link #learn(double)}, given {@link #expected()} at the located time (a caller that has it saves a read). */
    void learn(double x, double expected) {
        int lo = lower;
        int hi = upper;
        double f = frac;
        double err = x - expected;
        if (saturated()) {
            // No slot is empty and no count can grow: the same updates as below, without reading the counts.
            set(lo, mean[lo] * unit + alpha * (1.0 - f) * err);
            set(hi, mean[hi] * unit + alpha * f * err);
            return;
        }
        set(lo, seen(lo) == 0 ? x : mean[lo] * unit + alpha * (1.0 - f) * err);
        set(hi, seen(hi) == 0 ? x : mean[hi] * unit + alpha * f * err);
        countSeen(lo);
        countSeen(hi);
    }

    /** Slot {@code i} := {@code v} (value units), rounded to the unit. */
    private void set(int i, double v) {
        // Before the first deviation perUnit is infinite, so q is not a count and the slow path sets the unit.
        double q = ShortCounts.round(v * perUnit);
        if (!ShortCounts.fits(q)) {
            q = rescale(i, v);
        }
        mean[i] = (short) q;
    }

    /**
     * The count for {@code v} when it does not fit the unit: sets the first unit, or doubles it (halving every slot)
     * until {@code v} fits. A value beyond every double leaves slot {@code i} as it was.
     */
    private double rescale(int i, double v) {
        if (!(Math.abs(v) <= Double.MAX_VALUE) || unit == 0 && v == 0) {
            return mean[i];
        }
        unit = ShortCounts.unitToFit(mean, i, false, v, unit);
        perUnit = 1.0 / unit;
        return Math.rint(v / unit);
    }
}
