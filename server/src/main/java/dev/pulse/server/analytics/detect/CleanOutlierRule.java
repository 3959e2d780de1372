package dev.pulse.server.analytics.detect;

/**
 * Flags each value far from a baseline that does not learn the values it flags, so a spike that recurs every fifty
 * values is flagged every time, where a baseline that learnt it would come to expect it. Four baselines
 * ({@link LevelModel}s and a {@link CycleModel}) predict each value: a level; a level and the shapes of a weekday
 * and a weekend day, which hold a daily cycle as well as a weekly one; a level with a trend, for cycles and drifts
 * that the values' times do not show; and, on a series whose times show a cycle, a fast level with a trend, which
 * follows a cycle's sharp turns (a weekend that starts at midnight) that the shapes' slots blur. The one whose recent
 * error is least is used.
 * Each learns every value with its error clipped to {@link #CLIP} noise units, or to {@link #OUTLIER_CLIP} when it
 * is an outlier for that model, moves its level at once on a run of outliers that agree (a level shift), and takes
 * its noise from recent outliers on both sides once they outnumber the values within the bar (a noise that grew).
 * The cycle baseline's outlier that the fast level holds (a turn its slots blur) is its own error instead: learnt as
 * one within the bar, and judged by the fast level; it begins no run of outliers, but goes on with one that an
 * outlier began (a shift that the fast level then followed).
 *
 * <ul>
 *   <li>The residual is the value's distance from the chosen prediction in units of that model's noise (its mean
 *   absolute clipped error, as a Gaussian standard deviation). A value is an outlier past {@link #BAR}; of
 *   consecutive outliers only the first is flagged (the rest are the same deviation going on).</li>
 *   <li>The rule speaks only on series whose residuals look like light-tailed noise with rare outliers: while more
 *   than {@link #GATE_RATE} of recent values land between {@link #CLIP} and the bar (0.3% for Gaussian noise, 2%
 *   for Laplace), or more than {@link #OUTLIER_RATE} of them are flagged, a residual past the bar is the series'
 *   everyday behaviour, not an anomaly. Those shares start closed and cross after about 2,800 values of such a
 *   series; before that the rule speaks on a series that already shows clear outliers on both sides of
 *   light-tailed noise, or, from {@link #QUIET_VALUES} values, almost nothing past the clip (early trust,
 *   {@link #MIN_CLEAR}).</li>
 * </ul>
 *
 * <p>O(1) per value, no allocation; about 0.8 KB (the two days' shapes and the weekend's turns, 112 slots, in 240
 * bytes; the four models' scalars). Not thread-safe: guarded by the series' lock. Constants chosen on the tuning
 * seeds of the labelled stream families and the NAB tuning split (EVALUATION.md).
 */
final class CleanOutlierRule {
    /** Noise units past which a value is an outlier (tuned: EVALUATION.md, "The turns judged by the fast level"). */
    static final double BAR = 4.1;
    /** Updates are clipped to this many noise units... */
    static final double CLIP = 3.0;
    /** ... and to this many for a flagged value. */
    static final double OUTLIER_CLIP = 1.0;
    /** Weight of a new (clipped) error in the level alone, in a cycle model's level, in its shape, in its noise. */
    static final double LEVEL_ALPHA = 0.05;
    static final double SEASON_LEVEL_ALPHA = 0.01;
    static final double SHAPE_ALPHA = 0.2;
    static final double SCALE_ALPHA = 0.01;
    /** Weight of a new error in the fast level: fast enough for a cycle's turns (tuned; 0.35-0.5 scored alike). */
    static final double FAST_ALPHA = 0.35;
    /** Share of the level's steps that a trend learns (EVALUATION.md, "A steadier trend"). */
    static final double TREND_SHARE = 0.4;
    /**
     * The fast level holds a value for the weekly baseline only while its error is at most this many times the
     * week's: an hour apart, a cycle outruns it and its clip would hold every spike (EVALUATION.md, "Values an hour
     * apart").
     */
    static final double FAST_HOLD_RATIO = 2.0;
    /** A cycle's (or the trend's) baseline is used when its error is below this share of the best one before it. */
    static final double ADVANTAGE = 0.9;
    /** A level shift: this many outliers in a row on one side within this many noise units of each other... */
    static final int SHIFT_RUN = 3;
    static final double SHIFT_SPREAD = 4.0;
    /** ... or this many in a row, however spread. */
    static final int LONG_RUN = 8;
    /** The most values between CLIP and BAR, and the most flagged, of a series the rule speaks on. */
    static final double GATE_RATE = 0.01;
    static final double OUTLIER_RATE = 0.03;
    /**
     * Weight of a new value in those two rates (a memory of about 4,000 values). Both start at twice their limit, so
     * without early trust the rule first speaks after about 2,800 values of light-tailed history.
     */
    static final double GATE_ALPHA = 0.00025;
    /** Values seen before the rule speaks (EVALUATION.md, "Early trust on two clear outliers"). */
    static final int WARM_UP = 200;
    /**
     * Early trust: until the two shares cross, the rule also speaks on a series whose plain counts over its first
     * EARLY_VALUES values look like light-tailed noise with clear, isolated outliers on both sides. At least
     * MIN_CLEAR flags beyond GAP_BAR, at most GAP_RATIO times as many between BAR and GAP_BAR, at least SIDE_SHARE of
     * the clear ones on each side, at most RUN_RATIO values past the bar per flag, at most REPEAT_RATE of repeated
     * values, and both shares as counts under their limits. Each test stands for a kind of series that must wait:
     * heavy tails fill the band past the bar, bursts of load come in runs on one side, counts repeat. Or a quiet
     * series: after QUIET_VALUES values at most QUIET_RATE of them in the band or flagged. Tuned on the families'
     * tuning seeds and NAB's tuning split (EVALUATION.md, "Anomalies from the start" and the sections after it).
     */
    static final int EARLY_VALUES = 16_384; // at most Short.MAX_VALUE: the counts are 16 bits
    static final int MIN_CLEAR = 2;
    static final double GAP_BAR = 6.0;
    static final double GAP_RATIO = 2.0;
    static final double SIDE_SHARE = 0.2;
    static final double RUN_RATIO = 3.0;
    static final double REPEAT_RATE = 0.1;
    static final int QUIET_VALUES = 600;
    static final double QUIET_RATE = 0.004;
    private static final int LOCAL = 0;
    private static final int WEEK = 1;
    private static final int TREND = 2;
    private static final int FAST = 3;
    /** Mean absolute deviation to standard deviation, Gaussian: sqrt(pi / 2). */
    static final double MAE_TO_SIGMA = 1.2533;
    /**
     * The range's extremes move half-way back to the level in this many values, and with the trend: a series that
     * drifts far keeps a noise floor of its recent spread, not of all it has crossed (EVALUATION.md, "A series that
     * drifts far").
     */
    private static final double RANGE_HALF_LIFE = 10_000;
    private static final double RANGE_DECAY = 1.0 - Math.pow(0.5, 1.0 / RANGE_HALF_LIFE);

    private final LevelModel local = LevelModel.alone();
    private final LevelModel trend = LevelModel.levelAndTrend();
    private final LevelModel fast = LevelModel.fastLevelAndTrend();
    private static final long DAY_SECONDS = 86_400;
    private static final long WEEK_SECONDS = 7 * DAY_SECONDS;

    /**
     * Slots of each of the weekly baseline's two days, a weekday and a weekend day: half an hour each. Each learns
     * from five or two days a week, where a whole week's hourly slots learnt from one (EVALUATION.md, "The weekly
     * baseline as a weekday and a weekend day").
     */
    static final int WEEK_DAY_SLOTS = 48;

    /** Slots per second of the week's shape: a phase times this is a position in it (it runs over 7 days). */
    static final double WEEK_SLOTS_PER_SECOND = (double) (7 * WEEK_DAY_SLOTS) / WEEK_SECONDS;

    private final CycleModel week = CycleModel.weekdaysAndWeekends(WEEK_DAY_SLOTS);

    // All fields below: guarded by the series' lock.
    private long count;                          // values observed
    private double midRate = 2 * GATE_RATE;      // recent share of values between CLIP and BAR; starts closed
    private double flagRate = 2 * OUTLIER_RATE;  // recent share of values flagged; starts closed
    private boolean lastOutlier;                 // the last value was an outlier
    private double low;                          // slowly forgotten minimum, for the noise floor
    private double high;                         // slowly forgotten maximum
    // The evidence for early trust: plain counts over the first EARLY_VALUES values (16 bits hold them); same guard.
    private double previous;                     // the last value
    private short clearFlags;                    // flagged beyond GAP_BAR
    private short clearAbove;                    // ... of them above the prediction
    private short nearFlags;                     // flagged between BAR and GAP_BAR
    private short pastBar;                       // values past the bar, flagged or not
    private short midValues;                     // values between CLIP and BAR
    private short repeats;                       // values equal to the one before
    private int calmRun;                         // residuals in a row far inside the noise (CalmRun); same guard
    private double residual;                     // the last value's, as judged (see residual()); same guard

    /**
     * The weekly baseline's days begin at midnight {@code offsetHours} ahead of UTC (UTC+8: 8), so its weekend is
     * Saturday and Sunday there; at first, UTC's.
     */
    void weekOffsetAt(int offsetHours) {
        week.offsetAt(offsetHours);
    }

    int weekOffsetHours() {
        return week.offsetHours();
    }

    /** Values observed. */
    long count() {
        return count;
    }

    /**
     * The last value's distance from the baseline that judged it, in that baseline's noise, before the value was
     * learnt: at most {@link #CLIP} where the rule holds the value. 0 for the first value.
     */
    double residual() {
        return residual;
    }

    /** Whether its scales come from values long over ({@link CalmRun}). */
    boolean outgrown() {
        return calmRun >= CalmRun.VALUES;
    }

    /**
     * Judges {@code x} at a time {@code weekPhase} seconds into its week ({@link SeasonalProfile#phase}: the caller
     * has it already), then learns from it; {@code zscore} is its z-score against the window, which tells whether
     * it moved ({@link CalmRun}). Returns the residual over the bar (above 1: an outlier), or 0 while the rule is
     * warming up or the series' residuals are heavy-tailed.
     */
    double observe(double x, double weekPhase, double zscore) {
        long n = count++;
        if (n == 0) {
            local.start(x, 0);
            trend.start(x, 0);
            week.start(x, 0);
            fast.start(x, 0);
            low = x;
            high = x;
            previous = x;
            return 0.0;
        }
        // The baseline is chosen before the value is learnt: by the errors of the values before it.
        double mae = local.mae();
        int model = LOCAL;
        if (week.mae() < ADVANTAGE * mae) {
            model = WEEK;
            mae = week.mae();
        }
        // The fast level only where the times show a cycle: elsewhere it made NAB's heavy tails look light
        // (EVALUATION.md, "A fast level on a cycle's turns").
        boolean cycle = model == WEEK;
        if (trend.mae() < ADVANTAGE * mae) {
            model = TREND;
            mae = trend.mae();
        }
        if (cycle && fast.mae() < mae) {
            model = FAST;
            mae = fast.mae();
        }
        // The floor counts the range in the chosen baseline's errors: a cycle's extremes, or a level lagging it, say
        // nothing of the noise around it (EVALUATION.md, "The floor from the chosen baseline").
        double floor = NoiseFloor.of(local.level(), high - low, mae);
        // Every model learns every value but the first (which starts them): n values learnt, this one included. The
        // fast level first: its error, against its noise before this value, tells the cycle baseline whether it held.
        double fastNoise = LevelModel.sigma(fast.mae(), floor);
        double eFast = fast.observe(x, 0, floor, n);
        // A turn that the cycle's slots blur but the fast level follows is the cycle's own error to learn, not a
        // level shift (EVALUATION.md, "The week's turns").
        boolean fastHolds = n > LevelModel.START_VALUES && Math.abs(eFast) <= CLIP * fastNoise
                && fast.mae() <= FAST_HOLD_RATIO * week.mae();
        double eLocal = local.observe(x, 0, floor, n);
        double eWeek = week.observe(x, weekPhase * WEEK_SLOTS_PER_SECOND, floor, n, fastHolds);
        double eTrend = trend.observe(x, 0, floor, n);
        // The chosen model's noise, as it judged the value: from its error before it learnt this value.
        double e = model == LOCAL ? eLocal : model == WEEK ? eWeek : model == TREND ? eTrend : eFast;
        double noise = LevelModel.sigma(mae, floor);
        if (model == WEEK && fastHolds && Math.abs(e) > BAR * noise) {
            // A turn the cycle's slots blur, not an anomaly: judged by the fast level that holds it (so within its
            // clip). A value the fast level does not hold, a spike, is judged by the cycle as before.
            e = eFast;
            noise = fastNoise;
        }
        double r = Math.abs(e) / noise;
        residual = r;
        calmRun = CalmRun.next(calmRun, r, zscore);
        boolean outlier = r > BAR;
        boolean mid = r > CLIP && !outlier;
        midRate = WeightedAverage.step(midRate, mid ? 1.0 : 0.0, GATE_ALPHA);
        boolean first = outlier && !lastOutlier;
        lastOutlier = outlier;
        flagRate = WeightedAverage.step(flagRate, first ? 1.0 : 0.0, GATE_ALPHA);
        double lvl = local.level();
        // The extremes move with the trend too: a steady drift alone does not widen the range. A value reaches past
        // them by at most the range (or the noise) at once, so one absurd value cannot blind the floor for good.
        double step = trend.trend();
        double reach = Math.max(high - low, noise);
        high = ForgottenRange.high(high, x, reach, step, RANGE_DECAY, lvl);
        low = ForgottenRange.low(low, x, reach, step, RANGE_DECAY, lvl);
        boolean trusted = n < EARLY_VALUES && countEvidence(x, r, e > 0, outlier, mid, first, n);
        if (!first && outlier) {
            r = BAR; // the same deviation going on: scored at the bar, not flagged
        }
        boolean speaks = midRate <= GATE_RATE && flagRate <= OUTLIER_RATE || trusted;
        return n >= WARM_UP && speaks ? r / BAR : 0.0;
    }

    /** Counts value {@code n} into the evidence for early trust; returns whether it trusts the series now. */
    private boolean countEvidence(double x, double r, boolean above, boolean outlier, boolean mid, boolean first,
                                  long n) {
        if (x == previous) {
            repeats++;
        }
        previous = x;
        if (n == 1) {
            // Judged against no noise yet, the second value is a clear outlier on the side of its step, whatever
            // the series: no evidence.
            return false;
        }
        if (first) {
            if (r > GAP_BAR) {
                clearFlags++;
                clearAbove += above ? 1 : 0;
            } else {
                nearFlags++;
            }
        }
        pastBar += outlier ? 1 : 0;
        midValues += mid ? 1 : 0;
        int flags = clearFlags + nearFlags;
        if (pastBar > RUN_RATIO * flags || repeats > REPEAT_RATE * n) {
            return false;
        }
        if (n >= QUIET_VALUES && midValues <= QUIET_RATE * n && flags <= QUIET_RATE * n) {
            return true; // quiet
        }
        int side = Math.min(clearAbove, clearFlags - clearAbove);
        return clearFlags >= MIN_CLEAR && side >= SIDE_SHARE * clearFlags
                && nearFlags <= GAP_RATIO * clearFlags && midValues <= GATE_RATE * n && flags <= OUTLIER_RATE * n;
    }
}
