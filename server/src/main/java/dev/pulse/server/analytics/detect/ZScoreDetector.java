package dev.pulse.server.analytics.detect;

import dev.pulse.server.analytics.Detector;

/**
 * The contract's rule: a value is an anomaly when the window held at least {@code minSamples} values and
 * |z| exceeds the threshold (or z is undefined: a constant window and a value off it). Its score is the
 * two-sided Gaussian confidence erf(|z| / sqrt 2): 0.954 at |z| = 2, 1 for an undefined z.
 *
 * <p>Stateless beyond the last decision; not thread-safe (guarded by the series' lock).
 */
public final class ZScoreDetector implements Detector {
    private final double threshold;
    private final int minSamples;
    private boolean lastAnomaly; // guarded by the series' lock

    public ZScoreDetector(double threshold, int minSamples) {
        this.threshold = threshold;
        this.minSamples = minSamples;
    }

    @Override
    public double observe(double x, double epochSeconds, double zscore, int windowCount) {
        boolean undefined = zscore != zscore;
        lastAnomaly = windowCount >= minSamples && (undefined || Math.abs(zscore) > threshold);
        if (windowCount == 0) {
            return 0.0;
        }
        return undefined ? 1.0 : Erf.erf(Math.abs(zscore) / Math.sqrt(2.0));
    }

    @Override
    public boolean lastAnomaly() {
        return lastAnomaly;
    }
}
