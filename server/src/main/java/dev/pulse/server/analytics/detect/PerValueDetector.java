package dev.pulse.server.analytics.detect;

import dev.pulse.server.analytics.Detector;

/**
 * {@code DETECTOR=pervalue}: the robust detector's rules (one alarm per event: range, sustained deviation, outliers against a baseline that
 * learns recurring spikes) together with a {@link CleanOutlierRule}, which flags each value far from a baseline
 * that never learns from flagged values, and is never silenced by an earlier alarm. A value is an anomaly when
 * either says so; the score is the higher of the two (the clean rule's as r^2 / (r^2 + 1) of its residual over its
 * bar), so the decision is still the score above 0.5.
 *
 * <p>Costs the robust detector's work plus three predictions and updates; holds the robust detector's state plus
 * about 0.9 KB (its two shapes, 16 bits a slot, and the scalars of its three baselines).
 *
 * <p>Not thread-safe: guarded by the series' lock.
 */
public final class PerValueDetector implements Detector {
    private final RobustDetector robust;
    private final CleanOutlierRule clean = new CleanOutlierRule();
    private final int minSamples;
    private boolean lastAnomaly;  // guarded by the series' lock

    public PerValueDetector(int windowSize, int minSamples) {
        this(RobustDetector.Params.DEFAULTS.withWindow(windowSize, minSamples));
    }

    public PerValueDetector(RobustDetector.Params robustParams) {
        this.robust = new RobustDetector(robustParams);
        this.minSamples = robustParams.minSamples();
    }

    @Override
    public double observe(double x, double epochSeconds, double zscore, int windowCount) {
        // One phase in the week for both rules: finding it is a remainder, a floor and conversions.
        double weekPhase = robust.locate(epochSeconds);
        double score = robust.observeLocated(x, zscore, windowCount);
        double ratio = clean.observe(x, weekPhase);
        if (clean.count() <= minSamples) { // among the first minSamples values
            ratio = Math.min(ratio, 1.0);
        }
        boolean outlier = ratio > 1.0;
        lastAnomaly = robust.lastAnomaly() || outlier;
        double r2 = ratio * ratio;
        return Math.max(score, r2 / (r2 + 1.0));
    }

    @Override
    public boolean lastAnomaly() {
        return lastAnomaly;
    }
}
