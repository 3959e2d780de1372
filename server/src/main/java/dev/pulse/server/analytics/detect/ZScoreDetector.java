package dev.pulse.server.analytics.detect;

import dev.pulse.server.analytics.Detector;

/**
 * The contract's rule: a value is an anomaly when the window held at least {@code minSamples} values and
 * |z| exceeds the threshold (or z is undefined: a constant window and a value off it). Its score is
 * z² / (z² + threshold²): monotone in |z|, 0.5 exactly at the threshold, 1 for an undefined z, and one division
 * where a Gaussian tail probability would cost an exponential per value.
 *
 * <p>Stateless beyond the last decision; not thread-safe (guarded by the series' lock).
 */
public final class ZScoreDetector implements Detector {
    private final double threshold;
    private final int minSamples;
    private final double thresholdSquared;
    private boolean lastAnomaly; // guarded by the series' lock

    public ZScoreDetector(double threshold, int minSamples) {
        this.threshold = threshold;
        this.minSamples = minSamples;
        this.thresholdSquared = Math.max(threshold * threshold, Double.MIN_NORMAL);
    }

    @Override
    public double observe(double x, double epochSeconds, double zscore, int windowCount) {
        boolean undefined = zscore != zscore;
        lastAnomaly = windowCount >= minSamples && (undefined || Math.abs(zscore) > threshold);
        if (windowCount == 0) {
            return 0.0;
        }
        if (undefined) {
            return 1.0;
        }
        return RatioScore.of(zscore * zscore, thresholdSquared);
    }

    @Override
    public boolean lastAnomaly() {
        return lastAnomaly;
    }
}
