package dev.pulse.server.analytics.detect;

/**
 * One baseline of a {@link CleanOutlierRule}: a level plus, optionally, the shape of a cycle (a day, a week) in
 * slots, read and learnt by linear interpolation between the two slots around a time, or a trend
 * ({@link #levelAndTrend}). A week can be held as two
 * days ({@link #weekdaysAndWeekends}): one shape for Monday to Friday and one for Saturday and Sunday (UTC), each
 * slot learning from five or two days' values a week where a slot of a whole week learns from one. Each slot is a 16-bit count of
 * a unit, a power of two that starts at 1/4,096 of the first step learnt and doubles (halving the counts) whenever a
 * slot would overflow: a unit is at most 1/32,768 of the largest deviation, and as a step under half a unit is lost
 * a slot settles within a few units, about 1/10,000 of it (a float: 1/16,777,216), in half a float's bytes. The
 * prediction uses the shape minus its mean, so the level and the shape cannot trade a constant between them and
 * wander. Also keeps its own mean absolute error, so the rule can use the baseline that predicts best; a run of
 * outliers on one side moves the level (a shift), and recent outliers on both sides, once they outnumber the values
 * within the bar by {@link CleanOutlierRule#LONG_RUN}, set that error to theirs (a noise that grew).
 *
 * <p>O(1) per value (the caller finds the phase), and O(slots) on the rare doubling of the unit; 2 bytes a slot. Not thread-safe: guarded by the series' lock.
 */
final class CycleModel {
    /** Values learnt unclipped at the start, while the noise is still unknown. */
    static final int START_VALUES = 30;
    /** Past this many values 1/n is below every weight a model learns with (the least is 0.01). */
    private static final long GAIN_VALUES = 100;
    /** Outliers that say the noise grew count at least this many on each side (fewer: a shift and a spike). */
    static final int MIN_SIDE = 2;
    /**
     * ... and each counts at most this many noise floors: at least the level's size (the floor holds 1e-9 of it), so a
     * still series that starts moving is learnt at once, and a burst of garbage (1e300) among them leaves a noise
     * that a couple of thousand values wear down, not one past every number (1e3 or 1e4 floors held back that start).
     */
    private static final double FLOORS_PER_OUTLIER = 1e9;

    private final short[] shape;          // in units; null for a level only; guarded by the series' lock
    private final double slotsInverse;
    private final int daySlots;           // > 0: the shape is a weekday then a weekend day of this many slots
    private final boolean trending;       // a level only, with a trend ({@link #levelAndTrend})
    private int offsetHours;              // the week's time zone, hours ahead of UTC; guarded by the series' lock

    // All fields below: guarded by the series' lock.
    private double level;       // the level the shape is added to
    private double trend;       // the level's step per value; 0 unless trending
    private double shapeSum;    // sum of the slots (in value units), for their mean
    private double unit;        // value of one count of a slot, a power of two; 0 until the first step
    private double perUnit = Double.POSITIVE_INFINITY; // 1 / unit
    private double mae;         // mean absolute (clipped) error of the predictions
    private int run;            // outliers in a row on one side (signed: + above, - below)
    private double runSum;      // their errors' sum, in value units
    private double runMin;      // their least and greatest error
    private double runMax;
    private byte wild;          // recent outliers, either side, each value within the bar taking one away
    private byte wildAbove;     // ... of them above the prediction
    private float wildSum;      // their absolute errors' sum, in value units (a float and two bytes fit the padding)
    private int lower;          // slots around the located time, and the weight of the upper one
    private int upper;
    private double frac;
    private int located = -2;   // the position's whole slot lower and upper were found for (-1: before slot 0)

    /**
     * @param slots slots of the cycle's shape; 0 for a level only. The level learns with
     *              {@link CleanOutlierRule#LEVEL_ALPHA} alone, {@link CleanOutlierRule#SEASON_LEVEL_ALPHA} under a shape
     *              (constants rather than fields: 16 bytes less in each of a series' four models).
     */
    CycleModel(int slots) {
        this(slots, 0, false);
    }

    private CycleModel(int slots, int daySlots, boolean trending) {
        this.shape = slots > 0 ? new short[slots] : null;
        this.slotsInverse = slots > 0 ? 1.0 / slots : 0;
        this.daySlots = daySlots;
        this.trending = trending;
    }

    /**
     * A level that also steps by a learnt trend each value (Holt's linear trend), which follows a cycle or a drift
     * whose times do not show it, such as values stamped as they arrive: the trend learns
     * {@link CleanOutlierRule#TREND_SHARE} of each of the level's steps.
     */
    static CycleModel levelAndTrend() {
        return new CycleModel(0, 0, true);
    }

    /**
     * A week as a weekday and a weekend day of {@code daySlots} slots each: its positions ({@link #predict}) run over
     * the week's 7 x {@code daySlots} slots from the epoch's Thursday, 00:00 UTC, and Saturday's and Sunday's read
     * the weekend day.
     */
    static CycleModel weekdaysAndWeekends(int daySlots) {
        return new CycleModel(2 * daySlots, daySlots, false);
    }

    /** The slot of the shape that holds position {@code slot} of the period. */
    private int held(int slot) {
        int d = daySlots;
        if (d == 0) {
            return slot;
        }
        // The day there, 0 Thursday to 6 Wednesday (d is a multiple of 24: an offset in hours is whole slots).
        int local = Math.floorMod(slot + offsetHours * d / 24, 7 * d);
        int day = local / d;
        return slot % d + (day == 2 || day == 3 ? d : 0); // Saturday and Sunday read the weekend day
    }

    /**
     * A week's days are those of a time zone {@code hours} ahead of UTC (at first 0). Its shapes stay indexed by the
     * time of day in UTC; only which of them a time reads moves.
     */
    void offsetAt(int hours) {
        if (hours != offsetHours) {
            offsetHours = hours;
            located = -2; // the slots around a position depend on it
        }
    }

    int offsetHours() {
        return offsetHours;
    }

    void start(double x, double mae) {
        level = x;
        this.mae = mae;
    }

    /**
     * The prediction for a value {@code slot} slots into the model's period (its phase times slots per second;
     * ignored for a level only); positions the shape for {@link #learn}.
     */
    double predict(double slot) {
        short[] s = shape;
        if (s == null) {
            return level + trend;
        }
        double pos = slot - 0.5;
        int lo = pos < 0 ? -1 : (int) pos;
        frac = pos - lo;
        if (lo != located) {
            // A new slot: values come many to a slot, so the slots' lookup (two divisions for a week) is seldom done.
            locate(lo);
        }
        return level + (s[lower] + frac * (s[upper] - s[lower])) * unit - shapeSum * slotsInverse;
    }

    /** Finds the slots of the shape around whole slot {@code lo} of the period (-1: before the first). */
    private void locate(int lo) {
        int slots = daySlots > 0 ? 7 * daySlots : shape.length;
        int lowerSlot = lo < 0 ? lo + slots : lo;
        lower = held(lowerSlot);
        upper = held(lowerSlot + 1 == slots ? 0 : lowerSlot + 1);
        located = lo;
    }

    /** Mean absolute (clipped) error; the noise of the next value is {@link #sigma} of it, at least a floor. */
    double mae() {
        return mae;
    }

    /** The noise a value is judged in when the mean absolute error was {@code mae}: at least {@code floor}. */
    static double sigma(double mae, double floor) {
        return Math.max(mae * CleanOutlierRule.MAE_TO_SIGMA, floor);
    }

    /**
     * Judges {@code x} against the prediction at {@code slot} (as {@link #predict}) and learns from it: returns the
     * error, measured in noise of {@link #sigma} of {@link #mae()} as it was before (the caller that needs the noise
     * computes it, rather than each model keeping it). An error past
     * {@link CleanOutlierRule#BAR} noise units is learnt clipped to {@link CleanOutlierRule#OUTLIER_CLIP} of them,
     * others to {@link CleanOutlierRule#CLIP}; a run of outliers that agree moves the level to them. {@code learnt}
     * counts the values learnt, this one included (the caller's count: one field less per model).
     */
    double observe(double x, double slot, double floor, long learnt) {
        double e = x - predict(slot);
        double sigma = sigma(mae, floor);
        boolean outlier = Math.abs(e) > CleanOutlierRule.BAR * sigma;
        learn(e, (outlier ? CleanOutlierRule.OUTLIER_CLIP : CleanOutlierRule.CLIP) * sigma, learnt);
        if (!outlier) {
            if (wild != 0) { // (no run without wild: every outlier counts in it or ends both)
                run = 0;
                forgetOne(); // a value within the bar takes one outlier from the count
            }
            return e;
        }
        int side = e > 0 ? 1 : -1;
        if (run * side <= 0) {
            run = 0;
            runSum = 0;
            runMin = e;
            runMax = e;
        }
        run += side;
        runSum += e;
        runMin = Math.min(runMin, e);
        runMax = Math.max(runMax, e);
        int len = Math.abs(run);
        if ((len >= CleanOutlierRule.SHIFT_RUN && runMax - runMin < CleanOutlierRule.SHIFT_SPREAD * sigma)
                || len >= CleanOutlierRule.LONG_RUN) {
            // To the run's mean error, less what the run's clipped steps already moved it.
            level += runSum / len - CleanOutlierRule.OUTLIER_CLIP * sigma * levelAlpha() * len * side;
            trend = 0; // a step, not a slope
            endRuns();
            return e;
        }
        if (wild == Byte.MAX_VALUE) {
            forgetOne(); // outliers mostly on one side, none in a run long enough to be a shift: keep the latest
        }
        wild++;
        wildAbove += side > 0 ? 1 : 0;
        wildSum += (float) Math.min(Math.abs(e), FLOORS_PER_OUTLIER * floor);
        if (wild >= CleanOutlierRule.LONG_RUN && Math.min(wildAbove, wild - wildAbove) >= MIN_SIDE) {
            // Outliers on both sides, more of them than values within the bar since: the noise has grown (a flat
            // series starts moving), and learning it an outlier's clipped step at a time would take thousands of
            // values. The noise is now theirs.
            mae = wildSum / wild;
            endRuns();
        }
        return e;
    }

    /** Takes one outlier, of the larger side, from the count of recent ones. */
    private void forgetOne() {
        wildSum = wild == 1 ? 0 : wildSum - wildSum / wild; // emptied, from 0 again (whatever it held)
        wildAbove -= 2 * wildAbove > wild ? 1 : 0;
        wild--;
    }

    /** A level shift or a new noise ends the runs of outliers and their count. */
    private void endRuns() {
        run = 0;
        wild = 0;
        wildAbove = 0;
        wildSum = 0;
    }

    /**
     * Learns the error {@code e} of the last prediction, clipped to {@code clip}. The first values are learnt
     * unclipped, with gains of 1/n, so the level and the noise start from their plain means.
     */
    private void learn(double e, double clip, long n) {
        double ce = n <= START_VALUES ? e : Math.max(-clip, Math.min(clip, e));
        double maeGain = CleanOutlierRule.SCALE_ALPHA;
        double levelGain = levelAlpha();
        if (n <= GAIN_VALUES) {
            // 1/n only while it can exceed the weights (it never does past GAIN_VALUES): a division per value is
            // slow, and so are two maxima that would take the weights anyway.
            double gain = 1.0 / n;
            maeGain = Math.max(gain, maeGain);
            levelGain = Math.max(gain, levelGain);
        }
        mae += maeGain * (Math.abs(ce) - mae);
        level += levelGain * ce;
        if (trending) {
            level += trend;
            if (n > START_VALUES) { // from a level that has settled, not from the first values' scatter
                trend += CleanOutlierRule.TREND_SHARE * levelGain * ce;
            }
        }
        if (shape != null) {
            double step = CleanOutlierRule.SHAPE_ALPHA * ce;
            add(lower, step * (1.0 - frac));
            add(upper, step * frac);
        }
    }

    /** Adds {@code v} (value units) to slot {@code i}, rounded to the unit. */
    private void add(int i, double v) {
        short[] s = shape;
        // Before the first step perUnit is infinite, so q is not a count and the slow path sets the unit.
        double q = ShortCounts.round(s[i] + v * perUnit);
        if (!ShortCounts.fits(q)) {
            q = rescale(i, v);
        }
        shapeSum += (q - s[i]) * unit;
        s[i] = (short) q;
    }

    /**
     * Slot {@code i}'s count after adding {@code v} when it does not fit the unit: sets the first unit, or doubles
     * it (halving every slot) until the sum fits. A value beyond every double adds nothing.
     */
    private double rescale(int i, double v) {
        if (!(Math.abs(v) <= Double.MAX_VALUE) || unit == 0 && v == 0) {
            return shape[i];
        }
        double fitting = ShortCounts.unitToFit(shape, i, true, v, unit);
        if (fitting != unit) {
            unit = fitting;
            perUnit = 1.0 / fitting;
            shapeSum = ShortCounts.sum(shape) * fitting; // the slots may have been halved
        }
        return Math.rint(shape[i] + v / unit);
    }

    double level() {
        return level;
    }

    /** The level's step per value: 0 unless {@link #levelAndTrend}. */
    double trend() {
        return trend;
    }

    private double levelAlpha() {
        return shape == null ? CleanOutlierRule.LEVEL_ALPHA : CleanOutlierRule.SEASON_LEVEL_ALPHA;
    }
}
