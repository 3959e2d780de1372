package dev.pulse.server.analytics.detect;

import dev.pulse.server.analytics.Detector;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;

/**
 * {@code DETECTOR=pervalue}: the robust detector's rules (one alarm per event: range, sustained deviation, outliers against a baseline that
 * learns recurring spikes) together with a {@link CleanOutlierRule}, which flags each value far from a baseline
 * that never learns from flagged values, and is never silenced by an earlier alarm. A value is an anomaly when
 * either says so; the score is the higher of the two (the clean rule's as r^2 / (r^2 + 1) of its residual over its
 * bar), so the decision is still the score above 0.5. The robust detector's range rule stays silent on a value the
 * clean rule holds within its clip while the range keeps being passed (a drift, a young series: see
 * {@link RobustDetector#RECORD_VALUES}).
 *
 * <p>Costs the robust detector's work plus four predictions and updates; holds the robust detector's state plus
 * about 0.8 KB (its weekday's and weekend day's shapes and the weekend's turns, 16 bits a slot, and the scalars of its
 * four baselines).
 *
 * <p>Not thread-safe: guarded by the series' lock.
 */
public final class PerValueDetector implements Detector {
    private static final double INSTANT_SECONDS = 3e16; // Instant's range is about +-3.2e16 seconds
    private static final double DAY_INVERSE = 1.0 / 86_400; // days per second: a week phase's day is a multiplication
    private final RobustDetector robust;
    private final CleanOutlierRule clean = new CleanOutlierRule();
    private final int minSamples;
    private final ZoneRules weekZone; // null where the offset never changes (it was set once)
    private boolean lastAnomaly;  // guarded by the series' lock
    private int day = -1;         // the day of the week (UTC) the zone's offset was last read on; same guard

    public PerValueDetector(int windowSize, int minSamples) {
        this(RobustDetector.Params.DEFAULTS.withWindow(windowSize, minSamples));
    }

    /** The weekly baseline's weekend is Saturday and Sunday, UTC. */
    public PerValueDetector(RobustDetector.Params robustParams) {
        this(robustParams, ZoneOffset.UTC);
    }

    /**
     * The weekly baseline's weekend is Saturday and Sunday in {@code weekTimeZone}, its offset taken to the hour (a
     * zone with summer time moves it at the first UTC midnight after a change).
     */
    public PerValueDetector(RobustDetector.Params robustParams, ZoneId weekTimeZone) {
        this.robust = new RobustDetector(robustParams);
        this.minSamples = robustParams.minSamples();
        ZoneRules rules = weekTimeZone.getRules();
        if (rules.isFixedOffset()) {
            clean.weekOffsetAt(offsetHours(rules, 0));
            this.weekZone = null;
        } else {
            this.weekZone = rules;
        }
    }

    /** The zone's offset from UTC at a time, to the hour. Once a day per series at most: the Instant is the zone API's price. */
    private static int offsetHours(ZoneRules rules, double epochSeconds) {
        // Within Instant's range (a NaN casts to 0): a time far out only needs some offset.
        long second = (long) Math.max(-INSTANT_SECONDS, Math.min(INSTANT_SECONDS, epochSeconds));
        return Math.round(rules.getOffset(Instant.ofEpochSecond(second)).getTotalSeconds() / 3600f);
    }

    @Override
    public double observe(double x, double epochSeconds, double zscore, int windowCount) {
        // One phase in the week for both rules: finding it is a remainder, a floor and conversions.
        double weekPhase = robust.locate(epochSeconds);
        if (weekZone != null) {
            int today = (int) (weekPhase * DAY_INVERSE);
            if (today != day) {
                day = today;
                clean.weekOffsetAt(offsetHours(weekZone, epochSeconds));
            }
        }
        double ratio = clean.observe(x, weekPhase, zscore);
        // A value the clean rule's baselines hold within their clip is no record worth an alarm while records are
        // frequent (a drift, a young series): they predict it, where the range only knows it was never seen.
        double score = robust.observeLocated(x, zscore, windowCount, clean.residual() <= CleanOutlierRule.CLIP);
        if (clean.count() <= minSamples) { // among the first minSamples values
            ratio = Math.min(ratio, 1.0);
        }
        boolean outlier = ratio > 1.0;
        lastAnomaly = robust.lastAnomaly() || outlier;
        return Math.max(score, RatioScore.of(ratio * ratio, 1.0));
    }

    /** The offset from UTC, in hours, of the time zone whose weekend the weekly baseline reads now. */
    int weekOffsetHours() {
        return clean.weekOffsetHours();
    }

    /** Whether the robust detector's rules flagged the last value, whatever the clean rule said. */
    boolean robustAnomaly() {
        return robust.lastAnomaly();
    }

    @Override
    public boolean lastAnomaly() {
        return lastAnomaly;
    }

    @Override
    public boolean outgrown() {
        return robust.outgrown() || clean.outgrown();
    }
}
