package dev.pulse.server.analytics.detect;

/**
 * One baseline of a {@link CleanOutlierRule}: a level, or a level with a trend ({@link #levelAndTrend}); a
 * {@link CycleModel} adds the shape of a cycle. Keeps its own mean absolute error, so the rule can use the baseline
 * that predicts best. A run of outliers on one side moves the level (a shift), and recent outliers on both sides,
 * once they outnumber the values within the bar by {@link CleanOutlierRule#LONG_RUN}, set that error to theirs (a
 * noise that grew).
 *
 * <p>O(1) per value; a few scalars (a level alone holds none of a shape's fields). Not thread-safe: guarded by the
 * series' lock.
 */
class LevelModel {
    /** Values learnt unclipped at the start, while the noise is still unknown. */
    static final int START_VALUES = 30;
    /** Past this many values 1/n is below every weight a model learns with (the least is 0.01). */
    private static final long GAIN_VALUES = 100;
    /** Outliers that say the noise grew count at least this many on each side (fewer: a shift and a spike). */
    static final int MIN_SIDE = 2;
    /**
     * ... and each counts at most this many noise floors (at least the level's size): a still series that starts
     * moving is learnt at once, but one absurd value among them (1e300) does not become the noise.
     */
    private static final double FLOORS_PER_OUTLIER = 1e9;

    private final boolean trending;       // the level steps by a learnt trend ({@link #levelAndTrend})
    private final boolean fast;           // ... and learns with the fast weight ({@link #fastLevelAndTrend})

    // All fields below: guarded by the series' lock.
    private double level;       // the level (a shape is added to it)
    private double trend;       // the level's step per value; 0 unless trending
    private double mae;         // mean absolute (clipped) error of the predictions
    private int run;            // outliers in a row on one side (signed: + above, - below)
    private double runSum;      // their errors' sum, in value units
    private double runMin;      // their least and greatest error
    private double runMax;
    private byte wild;          // recent outliers, either side, each value within the bar taking one away
    private byte wildAbove;     // ... of them above the prediction
    private float wildSum;      // their absolute errors' sum, in value units (a float and two bytes fit the padding)

    /** See {@link #alone}, {@link #levelAndTrend} and {@link #fastLevelAndTrend}; a {@link CycleModel} is neither. */
    LevelModel(boolean trending, boolean fast) {
        this.trending = trending;
        this.fast = fast;
    }

    /** A level alone; it learns with {@link CleanOutlierRule#LEVEL_ALPHA}. */
    static LevelModel alone() {
        return new LevelModel(false, false);
    }

    /**
     * A level that also steps by a learnt trend each value (Holt's linear trend), which follows a cycle or a drift
     * whose times do not show it, such as values stamped as they arrive: the trend learns
     * {@link CleanOutlierRule#TREND_SHARE} of each of the level's steps.
     */
    static LevelModel levelAndTrend() {
        return new LevelModel(true, false);
    }

    /**
     * A level with a trend that follows the last few values: it learns with {@link CleanOutlierRule#FAST_ALPHA}, so it
     * keeps up with a cycle's sharp turns, which a shape's slots blur, at the cost of more of the noise.
     */
    static LevelModel fastLevelAndTrend() {
        return new LevelModel(true, true);
    }

    void start(double x, double mae) {
        level = x;
        this.mae = mae;
    }

    /**
     * The prediction for a value {@code slot} slots into the model's period (its phase times slots per second;
     * ignored for a level alone).
     */
    double predict(double slot) {
        return level + trend;
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
        return observe(x, slot, floor, learnt, false);
    }

    /**
     * {@link #observe(double, double, double, long)}, where {@code othersHold} says another baseline predicts the value
     * within its clip: an error past the bar is then this model's own, learnt as one within it, and no sign that the
     * noise grew. It begins no run of outliers, but may go on with one that an outlier began ({@link #goOn}).
     */
    double observe(double x, double slot, double floor, long learnt, boolean othersHold) {
        double e = x - predict(slot);
        double sigma = sigma(mae, floor);
        boolean past = Math.abs(e) > CleanOutlierRule.BAR * sigma;
        boolean outlier = past && !othersHold;
        learn(x, e, sigma, outlier, learnt);
        if (!outlier) {
            if (past) {
                goOn(e, sigma); // past the bar, but another baseline holds it
            } else {
                run = 0;
            }
            if (wild != 0) {
                forgetOne(); // a value within the bar takes one outlier from the count
            }
            return e;
        }
        int side = e > 0 ? 1 : -1;
        int len = extendRun(e, side);
        if ((len >= CleanOutlierRule.SHIFT_RUN && steady(sigma)) || len >= CleanOutlierRule.LONG_RUN) {
            shiftToRun(len, side, CleanOutlierRule.OUTLIER_CLIP, sigma);
            return e;
        }
        if (wild == Byte.MAX_VALUE) {
            forgetOne(); // outliers mostly on one side, none in a run long enough to be a shift: keep the latest
        }
        wild++;
        wildAbove += side > 0 ? 1 : 0;
        wildSum += (float) Math.min(Math.abs(e), FLOORS_PER_OUTLIER * floor);
        if (wild >= CleanOutlierRule.LONG_RUN && Math.min(wildAbove, wild - wildAbove) >= MIN_SIDE) {
            // Outliers on both sides, more of them than values within the bar since: the noise has grown, and
            // learning it a clipped step at a time would take thousands of values. The noise is now theirs.
            mae = wildSum / wild;
            endRuns();
        }
        return e;
    }

    /**
     * Error {@code e}, past the bar but held by another baseline, goes on with a run of outliers on its side, if there
     * is one, and ends any other run. A level shift is an outlier for both baselines at first, then the other one
     * follows it: {@link CleanOutlierRule#LONG_RUN} such values in a row, steady, still move this level to them
     * (EVALUATION.md, "A shift that the fast level follows"). A turn that the other baseline holds begins no run.
     */
    private void goOn(double e, double sigma) {
        int side = e > 0 ? 1 : -1;
        if (run * side <= 0) {
            run = 0; // it begins no run, and ends one on the other side
            return;
        }
        int len = extendRun(e, side);
        if (!steady(sigma)) {
            run = 0; // a turn's error, rising or falling: no shift
        } else if (len >= CleanOutlierRule.LONG_RUN) {
            // Counted as CLIP steps, though the run's outliers stepped OUTLIER_CLIP: two hundredths of a unit each at the
            // weight of the weekly baseline, the one model another baseline holds values for.
            shiftToRun(len, side, CleanOutlierRule.CLIP, sigma);
        }
    }

    /** Adds error {@code e} to the run on its {@code side}, starting one where the run was on the other; its length. */
    private int extendRun(double e, int side) {
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
        return Math.abs(run);
    }

    /** Whether the run's errors lie within {@link CleanOutlierRule#SHIFT_SPREAD} noise units of each other. */
    private boolean steady(double sigma) {
        return runMax - runMin < CleanOutlierRule.SHIFT_SPREAD * sigma;
    }

    /**
     * A level shift: to the run's mean error, less what the run's {@code len} steps, each clipped to {@code stepClip}
     * noise units, already moved the level.
     */
    private void shiftToRun(int len, int side, double stepClip, double sigma) {
        level += runSum / len - stepClip * sigma * levelAlpha() * len * side;
        trend = 0; // a step, not a slope
        endRuns();
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
     * Learns the error {@code e} of the last prediction, judged in noise {@code sigma}: clipped to
     * {@link CleanOutlierRule#OUTLIER_CLIP} of it for an outlier, else to {@link CleanOutlierRule#CLIP}. The first
     * values are learnt unclipped, with gains of 1/n, so the level and the noise start from their plain means.
     */
    private void learn(double x, double e, double sigma, boolean outlier, long n) {
        double clip = (outlier ? CleanOutlierRule.OUTLIER_CLIP : CleanOutlierRule.CLIP) * sigma;
        double ce = n <= START_VALUES ? e : Math.max(-clip, Math.min(clip, e));
        double maeGain = CleanOutlierRule.SCALE_ALPHA;
        double levelGain = levelAlpha();
        if (n <= GAIN_VALUES) {
            // 1/n only while it can exceed the weights: a division per value is slow.
            double gain = 1.0 / n;
            maeGain = Math.max(gain, maeGain);
            levelGain = Math.max(gain, levelGain);
        }
        // Each may decay towards 0 on a series that stopped moving: never into subnormal numbers (FlushToZero).
        mae = WeightedAverage.step(mae, Math.abs(ce), maeGain);
        double next = level + levelGain * ce;
        if (trending) {
            next += trend;
            if (n > START_VALUES) { // from a level that has settled, not from the first values' scatter
                trend = FlushToZero.of(trend + CleanOutlierRule.TREND_SHARE * levelGain * ce);
            }
        }
        level = FlushToZero.of(next);
        learnShape(ce, x, !outlier, sigma);
    }

    /**
     * Learns the error {@code ce} (clipped) of value {@code x} into the shape, if there is one: nothing for a level
     * alone. {@code held}: x is within the bar, or another baseline holds it; {@code sigma}: the noise it was judged
     * in.
     */
    void learnShape(double ce, double x, boolean held, double sigma) {
    }

    /** Moves the level by {@code by}, as a shape that changed its mean by {@code -by} asks. */
    void shiftLevel(double by) {
        level += by;
    }

    double level() {
        return level;
    }

    /** The level's step per value: 0 unless {@link #levelAndTrend}. */
    double trend() {
        return trend;
    }

    /** The level's weight for a new error: a constant, not a field (8 bytes less in each of a series' models). */
    double levelAlpha() {
        return fast ? CleanOutlierRule.FAST_ALPHA : CleanOutlierRule.LEVEL_ALPHA;
    }
}
