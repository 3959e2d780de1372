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
    /** Above this, m2 and the bound below are far from the subnormals, so their rounding stays relative. */
    private static final double TINY = 0x1p-900;

    private final double threshold;
    private final int minSamples;
    private final double thresholdSquared;
    private final double quietBelow; // threshold² less 2^-40 of it: below, |z| is under the threshold for sure
    private boolean lastAnomaly; // guarded by the series' lock

    public ZScoreDetector(double threshold, int minSamples) {
        this.threshold = threshold;
        this.minSamples = minSamples;
        this.thresholdSquared = Math.max(threshold * threshold, Double.MIN_NORMAL);
        this.quietBelow = threshold > 0 && threshold < 1e100 ? threshold * threshold * (1 - 0x1p-40) : 0.0;
    }

    /**
     * Whether a value at {@code deviation} from the mean of a window of {@code count} values (not all equal) whose
     * squared deviations sum to {@code m2} is surely not an anomaly: under {@code minSamples}, or
     * {@code deviation² * count} below {@code threshold² * m2} by a margin (2^-40) far wider than the rounding of
     * the z-score's division, square root and division (a few 2^-53), so {@code |z| > threshold} is false for the
     * z-score as {@link #observe} is given it. Multiplications only; false when unsure (then judge the z-score).
     * When true, {@code m2 / count} is positive, so that z-score is a plain division.
     */
    public boolean surelyQuiet(double deviation, double m2, int count) {
        if (!(m2 >= TINY) || count <= 0) {
            return false;
        }
        if (count < minSamples) {
            return true;
        }
        double bound = quietBelow * m2;
        return bound >= TINY && bound <= Double.MAX_VALUE && deviation * deviation * count < bound;
    }

    /** The score of a defined z-score against a window that held values: {@link #observe}'s, for a value it was not given. */
    public double score(double zscore) {
        double z2 = zscore * zscore;
        return z2 / (z2 + thresholdSquared);
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
        return score(zscore);
    }

    @Override
    public boolean lastAnomaly() {
        return lastAnomaly;
    }
}
