package dev.pulse.server.analytics.detect;

import dev.pulse.server.analytics.Detector;

import java.util.Arrays;

/**
 * A streaming detector for real metrics (heavy tails, daily and weekly cycles, level shifts, recurring spikes) that
 * raises one alarm per event rather than one per unusual value.
 *
 * <p>Each value is compared with the best of three baselines: the median of the recent values (robust to spikes,
 * see {@link StreamingMedian}), and a daily and a weekly profile (a level plus a time-of-day or time-of-week shape,
 * see {@link SeasonalProfile}); a profile is used only while its recent error is well below the median's. The
 * residual, scaled by the chosen baseline's spread, is judged by three rules, and the value is an anomaly when any
 * of them fires:
 * <ul>
 *   <li><b>range</b>: the value lies beyond the range of the values seen (slowly forgotten, and widened by at most
 *   itself per value) by more than {@link Params#rangeMargin} of that range. A series' extremes are where people see
 *   anomalies.</li>
 *   <li><b>sustained deviation</b>: the mean residual of the last {@link Params#shortValues} values lies
 *   {@link Params#sustainedZ} standard deviations above the long-run mean residual (the anomaly likelihood of
 *   Ahmad et al. 2017, with a Gaussian tail). Catches level shifts and variance bursts.</li>
 *   <li><b>outlier</b>: the residual passes both {@link Params#outlierFloor} and a bar extrapolated from the
 *   recent residuals' own tail (their 90th and 99th percentiles, as a power law). On series whose residuals are
 *   heavy-tailed (99th over 90th percentile above {@link Params#outlierTailLimit}) the rule is off: their everyday
 *   spikes would pass any bar a clean spike passes.</li>
 * </ul>
 * Every value is judged as it is, but one absurdly far beyond the range (1,000 ranges) is learnt at that distance,
 * so no single value can put the baselines out of reach of the values that follow. A burst of them can: residuals
 * far inside the noise for {@link CalmRun#VALUES} values in a row then tell the series to start a new detector
 * ({@link #outgrown}).
 * After an alarm, the next {@link Params#quietValues} values raise none (the same event) and their residuals stay
 * out of the tail statistics. A sustained deviation restarts the median baseline from the values since the alarm
 * (or the last few), moves the profiles' levels by their recent error and clears its own memory, so a new level
 * is learnt at once.
 *
 * <p>The score is the strongest rule's ratio r to its threshold, as r^2 / (r^2 + 1): 0.5 where a rule fires,
 * halved while alarms are suppressed, so the decision is the score above 0.5.
 *
 * <p>Cost per value: O(1). The median and spread are estimated in O(1), two histogram quantiles are followed in
 * O(1), a power is taken only when those quantiles move; no allocation. Memory: about 2.3 KB per series with the
 * defaults, most of it the histogram (floats), the median's ring of 64 values (floats) and the two profiles (16 bits
 * a slot). Not thread-safe: guarded by the series' lock. The
 * defaults were tuned on the NAB corpus' tuning split (EVALUATION.md).
 */
public final class RobustDetector implements Detector {

    /**
     * The detector's parameters. {@link #DEFAULTS} are the tuned ones.
     *
     * @param baselineValues      values the median baseline's estimates average over (at least the configured
     *                            window)
     * @param minSamples          values seen before anything is flagged
     * @param warmUp              values seen before the sustained and outlier rules may fire
     * @param rangeMargin         share of the range a value must pass it by to fire the range rule
     * @param rangeHalfLife       values after which the extremes have moved half-way back to the median
     * @param shortValues         values averaged by the sustained rule
     * @param sustainedZ          standard deviations the short mean must exceed the long-run mean by
     * @param longHalfLife        half-life, in values, of the long-run mean and variance of the residuals
     * @param residualCap         residuals are capped here before averaging, so one huge value is not a shift
     * @param outlierFloor        the least residual the outlier rule flags
     * @param outlierTail         exponent of the power-law extrapolation of the residuals' tail
     * @param tailHalfLife        half-life, in values, of the residual histogram
     * @param quietValues         values after an alarm that raise no other
     * @param seasonalAdvantage   a profile is used when its error is this many times below the median's
     * @param errorHalfLife       half-life, in values, of each baseline's mean absolute error
     * @param seasonalWarmUp      values seen before a profile may be used
     * @param slotAlpha           weight of a new value in a profile slot
     * @param daySlots            slots of the daily profile
     * @param weekSlots           slots of the weekly profile
     * @param restartValues       values the baseline keeps when a sustained deviation restarts it
     * @param levelAlpha          weight of a new value in a profile's level
     * @param levelClip           a level moves by at most this many mean absolute errors per value
     * @param outlierTailLimit    the outlier rule is off while the residuals' 99th / 90th percentile ratio exceeds
     *                            this (1.6 for Gaussian residuals, 2 for Laplace ones)
     */
    public record Params(int baselineValues, int minSamples, int warmUp, double rangeMargin, double rangeHalfLife,
                         int shortValues, double sustainedZ, double longHalfLife, double residualCap,
                         double outlierFloor, double outlierTail, double tailHalfLife, int quietValues,
                         double seasonalAdvantage, double errorHalfLife, int seasonalWarmUp, double slotAlpha,
                         int daySlots, int weekSlots, int restartValues, double levelAlpha, double levelClip,
                         double outlierTailLimit) {

        public static final Params DEFAULTS = new Params(384, 10, 300, 0.02, 100_000,
                30, 5.0, 5000, 10.0,
                5.0, 0.75, 5000, 30,
                2.0, 1000, 500, 0.2,
                96, 168, 20, 0.02, 3.0,
                2.0);

        public Params {
            if (baselineValues < 2 || minSamples < 1 || shortValues < 1 || quietValues < 0 || daySlots < 2
                    || weekSlots < 2 || restartValues < 1 || !(rangeMargin >= 0) || !(residualCap > 0)) {
                throw new IllegalArgumentException("baselineValues=" + baselineValues + " minSamples=" + minSamples
                        + " shortValues=" + shortValues + " quietValues=" + quietValues + " daySlots=" + daySlots
                        + " weekSlots=" + weekSlots + " restartValues=" + restartValues + " rangeMargin="
                        + rangeMargin + " residualCap=" + residualCap);
            }
        }

        public Params withWindow(int windowSize, int minSamples) {
            return new Params(Math.max(baselineValues, windowSize), minSamples, warmUp, rangeMargin, rangeHalfLife,
                    shortValues, sustainedZ, longHalfLife, residualCap, outlierFloor, outlierTail, tailHalfLife,
                    quietValues, seasonalAdvantage, errorHalfLife, seasonalWarmUp, slotAlpha, daySlots, weekSlots,
                    restartValues, levelAlpha, levelClip, outlierTailLimit);
        }
    }

    private static final int LOCAL = 0;
    private static final int DAY = 1;
    private static final int WEEK = 2;
    /** Values each of the two profile slots around a time must have seen before the profile is read there. */
    private static final int SLOT_VALUES = 2;
    private static final long DAY_SECONDS = 86_400;
    private static final long WEEK_SECONDS = 7 * DAY_SECONDS;
    /** Quantiles of the residuals' recent distribution the outlier bar is extrapolated from. */
    private static final double TAIL_LOW = 0.90;
    private static final double TAIL_HIGH = 0.99;
    /** A Gaussian's standard deviation over its MAD (half its interquartile range): 2 / 1.349. */
    private static final double MAD_TO_SIGMA = 2 / 1.349;
    /** Values the median baseline holds exactly after a (re)start, before its estimates take over. */
    private static final int EXACT_VALUES = 64;
    /**
     * Once the range is open, a value is learnt at most this many ranges (or local errors) beyond it: far past any
     * value a real series draws, near enough that the baselines recover from the worst within a few thousand values.
     */
    private static final double LEARN_REACH = 1000;
    /**
     * A value past the range that another baseline holds ({@link #observeLocated}'s {@code held}) fires no range alarm
     * while the range was last passed at most this many values before: a drift or a young series setting records
     * (EVALUATION.md, "Records that another baseline holds").
     */
    static final int RECORD_VALUES = 300;

    private final Params p;
    private final StreamingMedian baseline;
    private final SeasonalProfile day;
    private final SeasonalProfile week;
    private final DecayingHistogram tail;
    // Three rings in one array (one array header where three took 48 bytes), floats: capped residuals and errors
    // averaged at most 30 at a time need no more digits. [0, shortValues): the last capped residuals;
    // [shortValues, + restartValues): the daily profile's last signed errors; then the weekly profile's.
    private final float[] rings;     // guarded by the series' lock
    private final double longAlpha;
    private final double errorAlpha;
    private final double rangeDecay;
    private final double shortInverse;

    // All fields below: guarded by the series' lock.
    private long count;              // values observed
    private long lastAlarm = Long.MIN_VALUE / 2;   // index of the last alarm
    private long lastRestart = Long.MIN_VALUE / 2;  // index of the last restart of the baselines
    private long lastRecord = Long.MIN_VALUE / 2;   // index of the last value learnt past the range
    private boolean lastAnomaly;     // decision on the last value
    private double low;              // slowly forgotten minimum
    private double high;             // slowly forgotten maximum
    private double maeLocal;         // mean absolute error of the median baseline
    private double maeDay;           // ... of the daily profile
    private double maeWeek;          // ... of the weekly profile
    private double dayLevel;         // level the daily profile's shape is added to
    private double weekLevel;        // level the weekly profile's shape is added to
    private int shortHead;           // next slot of shortRing
    private int shortCount;          // residuals in shortRing
    private double shortSum;         // their sum
    private double longMean;         // long-run mean of the capped residuals
    private double longVar;          // long-run variance of the capped residuals
    private long longCount;          // residuals in the long-run statistics
    private int errorHead;           // next slot of the two error rings
    private int errorCount;          // signed profile errors held
    private int barHighBin = -1;     // tail bins the two fields below were computed from
    private int barLowBin = -1;
    private boolean tailHeavy;       // those bins' ratio exceeds outlierTailLimit: no outlier rule
    private double outlierBarInverse; // 1 / the outlier rule's bar for those bins
    private int calmRun;             // judged residuals in a row far inside the noise (CalmRun)

    /** With the tuned parameters, a baseline of at least {@code windowSize} values, and {@code minSamples}. */
    public RobustDetector(int windowSize, int minSamples) {
        this(Params.DEFAULTS.withWindow(windowSize, minSamples));
    }

    public RobustDetector(Params params) {
        this.p = params;
        this.baseline = new StreamingMedian(params.baselineValues(), Math.max(EXACT_VALUES, params.restartValues()));
        this.day = new SeasonalProfile(DAY_SECONDS, params.daySlots(), params.slotAlpha());
        this.week = new SeasonalProfile(WEEK_SECONDS, params.weekSlots(), params.slotAlpha());
        this.tail = new DecayingHistogram(params.tailHalfLife(), TAIL_HIGH, TAIL_LOW);
        this.rings = new float[params.shortValues() + 2 * params.restartValues()];
        this.longAlpha = decay(params.longHalfLife());
        this.errorAlpha = decay(params.errorHalfLife());
        this.rangeDecay = decay(params.rangeHalfLife());
        this.shortInverse = 1.0 / params.shortValues();
    }

    private static double decay(double halfLife) {
        return 1.0 - Math.pow(0.5, 1.0 / halfLife);
    }

    @Override
    public double observe(double x, double epochSeconds, double zscore, int windowCount) {
        locate(epochSeconds);
        return observeLocated(x, zscore, windowCount, false);
    }

    /**
     * {@link #observe} once {@link #locate} has positioned the profiles on the value's time: a caller that needs the
     * time's phase in the week too takes it from there rather than finding it again. {@code held}: another baseline
     * predicts {@code x} within its clip, so a record that continues recent ones is no range alarm
     * ({@link #RECORD_VALUES}).
     */
    double observeLocated(double x, double zscore, int windowCount, boolean held) {
        final Params p = this.p;
        final StreamingMedian b = baseline;
        final long n = count;

        // The residual against the best baseline, in units of that baseline's spread.
        double median = b.count() > 0 ? b.median() : x;
        double eLocal = x - median;
        boolean dayReady = day.ready(SLOT_VALUES);
        boolean weekReady = week.ready(SLOT_VALUES);
        double dayShape = day.expected();
        double weekShape = week.expected();
        double eDay = dayReady ? x - dayLevel - dayShape : eLocal;
        double eWeek = weekReady ? x - weekLevel - weekShape : eLocal;
        int model = LOCAL;
        double best = maeLocal;
        double e = eLocal;
        if (n > p.seasonalWarmUp()) {
            if (dayReady && maeDay * p.seasonalAdvantage() < best) {
                model = DAY;
                best = maeDay;
                e = eDay;
            }
            if (weekReady && maeWeek * p.seasonalAdvantage() < best) {
                model = WEEK;
                e = eWeek;
            }
        }
        double residual = 0.0;
        boolean judged = b.count() >= p.minSamples();
        if (judged) {
            double floor = NoiseFloor.of(median, high - low, maeLocal);
            double spread = model == LOCAL ? b.spread() * MAD_TO_SIGMA
                    : model == DAY ? maeDay : maeWeek;
            residual = Math.abs(e) / Math.max(spread, floor);
            calmRun = CalmRun.next(calmRun, residual, zscore);
        }
        double capped = Math.min(residual, p.residualCap());

        // Range rule.
        double rangeRatio = 0.0;
        if (n >= p.minSamples() && high > low) {
            double beyond = Math.max(x - high, low - x);
            double margin = p.rangeMargin() * (high - low);
            rangeRatio = beyond <= 0 ? 0.0 : margin == 0 ? Double.POSITIVE_INFINITY : beyond / margin;
            if (rangeRatio > 1.0 && held && n - lastRecord <= RECORD_VALUES) {
                // Scored at the bar, not flagged: records come often while a series drifts or is young.
                rangeRatio = 1.0;
            }
        }

        // Sustained rule: the short mean includes this value.
        float[] ring = rings;
        int shortValues = p.shortValues();
        if (shortCount == shortValues) {
            shortSum -= ring[shortHead];
        } else {
            shortCount++;
        }
        float stored = (float) capped;
        ring[shortHead] = stored;
        shortSum += stored;
        shortHead = shortHead + 1 == shortValues ? 0 : shortHead + 1;
        if (shortHead == 0) {
            shortSum = exactSum(ring, 0, shortCount); // wipes rounding drift once per lap
        }
        double sustainedRatio = 0.0;
        if (longCount >= p.warmUp() && judged) {
            // One division where there were three (they are this path's slow part): a full ring's mean
            // multiplies by an inverse, and the bar is multiplied out.
            double shortMean = shortCount == shortValues ? shortSum * shortInverse : shortSum / shortCount;
            double above = shortMean - longMean;
            if (!(above <= 0)) {
                // Below the long-run mean the ratio is 0 whatever the bar: the root and the division only above it.
                double bar = (Math.sqrt(longVar) + NoiseFloor.ABSOLUTE) * p.sustainedZ();
                sustainedRatio = Math.max(0.0, above / bar);
            }
        }

        // Outlier rule.
        double outlierRatio = 0.0;
        if (n >= p.warmUp() && judged && !tail.isEmpty()) {
            int hiBin = tail.highBin();
            int loBin = tail.lowBin();
            if (hiBin != barHighBin || loBin != barLowBin) {
                // The quantiles are bin edges that seldom move: the bar is recomputed only when they do.
                double hi = DecayingHistogram.upperEdge(hiBin);
                double lo = DecayingHistogram.upperEdge(loBin);
                // Where the residuals' tail is heavy, everyday spikes pass any bar a clean spike would: no test.
                tailHeavy = !(hi / lo <= p.outlierTailLimit());
                outlierBarInverse = 1.0 / Math.max(p.outlierFloor(), hi * Math.pow(hi / lo, p.outlierTail()));
                barHighBin = hiBin;
                barLowBin = loBin;
            }
            if (!tailHeavy) {
                outlierRatio = residual * outlierBarInverse;
            }
        }

        double ratio = Math.max(rangeRatio, Math.max(sustainedRatio, outlierRatio));
        boolean fires = ratio > 1.0;
        boolean quiet = n - lastAlarm <= p.quietValues();
        boolean anomaly = fires && !quiet;
        if (anomaly) {
            lastAlarm = n;
        }
        lastAnomaly = anomaly;
        double score = RatioScore.of(ratio * ratio, 1.0);
        if (fires && quiet) {
            score *= 0.5;
        }

        // A sustained deviation restarts the baselines, even when its alarm was suppressed: a level shift
        // first caught by another rule still needs its new level learnt.
        boolean restart = sustainedRatio > 1.0 && n - lastRestart > p.quietValues();
        if (restart) {
            lastRestart = n;
        }
        learn(x, median, eLocal, eDay, eWeek, dayShape, weekShape, dayReady, weekReady, residual, capped, judged,
                quiet, restart);
        return score;
    }

    /**
     * Positions both profiles on {@code epochSeconds}; returns its phase in the week ({@link SeasonalProfile#phase}).
     * One floor and one remainder for the two periods, as a week is whole days (a second's place in the day is its
     * place in the week modulo a day), where each profile's phase took its own. Phases by constant periods: a
     * remainder by a constant is a multiplication, by a field a long division.
     */
    double locate(double epochSeconds) {
        double whole = Math.floor(epochSeconds);
        double weekPhase;
        if (Math.abs(whole) < SeasonalProfile.EXACT_LONG) {
            long weekSecond = Math.floorMod((long) whole, WEEK_SECONDS);
            double fraction = epochSeconds - whole;
            day.locatePhase(SeasonalProfile.phase(weekSecond % DAY_SECONDS, fraction, DAY_SECONDS));
            weekPhase = SeasonalProfile.phase(weekSecond, fraction, WEEK_SECONDS);
        } else {
            day.locatePhase(SeasonalProfile.phase(epochSeconds, DAY_SECONDS));
            weekPhase = SeasonalProfile.phase(epochSeconds, WEEK_SECONDS);
        }
        week.locatePhase(weekPhase);
        return weekPhase;
    }

    private void learn(double x, double median, double eLocal, double eDay, double eWeek, double dayShape,
                       double weekShape, boolean dayReady, boolean weekReady, double residual, double capped,
                       boolean judged, boolean quiet, boolean restart) {
        final Params p = this.p;
        long n = count;
        double farthest = LEARN_REACH * Math.max(high - low, maeLocal);
        if (n >= p.minSamples() && high > low && !(x >= low - farthest && x <= high + farthest)) {
            // Judged as it is, learnt at most that far: one absurd value (1e300) would otherwise put the
            // baselines' errors, levels and slots out of reach of the values that follow, for good.
            x = Math.max(low - farthest, Math.min(high + farthest, x));
            eLocal = x - median;
            eDay = dayReady ? x - dayLevel - dayShape : eLocal;
            eWeek = weekReady ? x - weekLevel - weekShape : eLocal;
        }
        // An alarm's own residual joins the tail (a series whose spikes recur learns them), the echoes after it
        // do not.
        if (judged && !quiet) {
            tail.add(residual);
        }
        if (judged) {
            if (longCount == 0) {
                longMean = capped;
                longVar = 0.0;
            } else {
                double d = capped - longMean;
                // Both decay towards 0 on a series that stopped moving: never into subnormal numbers (FlushToZero).
                longMean = WeightedAverage.step(longMean, capped, longAlpha);
                longVar = FlushToZero.of((1.0 - longAlpha) * (longVar + longAlpha * d * d));
            }
            longCount++;
        }
        double aLocal = Math.abs(eLocal);
        double aDay = Math.abs(eDay);
        double aWeek = Math.abs(eWeek);
        if (n == 0) {
            maeLocal = aLocal;
            maeDay = aDay;
            maeWeek = aWeek;
        } else {
            maeLocal = WeightedAverage.step(maeLocal, aLocal, errorAlpha);
            maeDay = WeightedAverage.step(maeDay, aDay, errorAlpha);
            maeWeek = WeightedAverage.step(maeWeek, aWeek, errorAlpha);
        }
        float[] ring = rings;
        int dayFrom = p.shortValues();
        int restartValues = p.restartValues();
        int weekFrom = dayFrom + restartValues;
        ring[dayFrom + errorHead] = dayReady ? (float) eDay : 0f;
        ring[weekFrom + errorHead] = weekReady ? (float) eWeek : 0f;
        errorHead = errorHead + 1 == restartValues ? 0 : errorHead + 1;
        errorCount = Math.min(errorCount + 1, restartValues);
        if (restart) {
            // A new level: the profiles move by their recent mean error, the median restarts from recent values.
            dayLevel += recentError(dayFrom);
            weekLevel += recentError(weekFrom);
            // Values from the event's alarm on belong to the new level; older ones do not.
            long sinceAlarm = n - lastAlarm;
            baseline.keepLatest(sinceAlarm < p.restartValues() ? (int) sinceAlarm : p.restartValues() - 1);
            // The sustained rule's memory of the old level is spent: it restarts neutral.
            float neutral = (float) longMean;
            Arrays.fill(ring, 0, dayFrom, neutral);
            shortSum = (double) neutral * shortCount;
        }
        if (n == 0) {
            dayLevel = x;
            weekLevel = x;
        } else {
            // The level follows the deseasonalised value, each step clipped so a spike barely moves it.
            double clipDay = p.levelClip() * maeDay;
            double clipWeek = p.levelClip() * maeWeek;
            dayLevel = FlushToZero.of(dayLevel
                    + p.levelAlpha() * Math.max(-clipDay, Math.min(clipDay, x - dayShape - dayLevel)));
            weekLevel = FlushToZero.of(weekLevel
                    + p.levelAlpha() * Math.max(-clipWeek, Math.min(clipWeek, x - weekShape - weekLevel)));
        }
        day.learn(x - dayLevel, dayShape); // the shapes read before this value: nothing has changed them since
        week.learn(x - weekLevel, weekShape);
        baseline.add(x);
        if (n == 0) {
            low = x;
            high = x;
        } else {
            if (x > high || x < low) {
                lastRecord = n;
            }
            // Extremes drift back towards the median, so a range seen once long ago stops hiding new ones. A value
            // widens the range by at most the range itself (or the local error): one burst a hundred times the
            // usual spread widens it twofold, not a hundredfold, and does not hide every later anomaly.
            double reach = Math.max(high - low, maeLocal);
            high = ForgottenRange.high(high, x, reach, 0.0, rangeDecay, median);
            low = ForgottenRange.low(low, x, reach, 0.0, rangeDecay, median);
        }
        count = n + 1;
    }

    /**
     * The mean of the profile errors held from {@code from}; 0 where one passed a float's range (a series beyond
     * 1e38), whose level then moves by learning alone rather than to an infinite one.
     */
    private double recentError(int from) {
        double mean = exactSum(rings, from, errorCount) / errorCount;
        return Double.isFinite(mean) ? mean : 0.0;
    }

    private static double exactSum(float[] a, int from, int n) {
        double s = 0;
        for (int i = from; i < from + n; i++) {
            s += a[i];
        }
        return s;
    }

    @Override
    public boolean lastAnomaly() {
        return lastAnomaly;
    }

    @Override
    public boolean outgrown() {
        return calmRun >= CalmRun.VALUES;
    }
}
