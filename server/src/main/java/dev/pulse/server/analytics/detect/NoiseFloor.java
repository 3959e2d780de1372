package dev.pulse.server.analytics.detect;

/**
 * The smallest noise a residual is scaled by, for {@link RobustDetector} and {@link CleanOutlierRule} alike: a share
 * of the series' recent range plus a share of its level, so a flat series stays finite and large values with a small
 * spread (bytes, timestamps) keep their resolution. The range counts as at most {@link #RANGE_ERRORS} of a
 * baseline's mean errors (Gaussian noise spans about ten; the local baseline's in the robust detector, the chosen
 * one's in the clean rule): an incident of twenty values at ten times the level widened the range for a hundred
 * thousand values, and the floor with it, past every later spike of a quiet series (EVALUATION.md, "An incident's
 * range").
 */
final class NoiseFloor {
    static final double RANGE_SHARE = 0.003;
    static final double LEVEL_SHARE = 1e-9;
    static final double ABSOLUTE = 1e-12;
    static final double RANGE_ERRORS = 100;

    private NoiseFloor() {
    }

    /** The floor of a series at {@code level} with a recent {@code range} and a local mean error {@code error}. */
    static double of(double level, double range, double error) {
        return ABSOLUTE + LEVEL_SHARE * Math.abs(level) + RANGE_SHARE * Math.min(range, RANGE_ERRORS * error);
    }
}
