package dev.pulse.perf.nab;

/**
 * NAB's reward curve over the position of a detection relative to the right edge of an anomaly window: -1 is
 * the window's left edge (reward 0.98661), 0 its right edge (reward 0), positive positions lie after the window
 * and cost more the further they are (down to -1 beyond three window widths).
 */
final class ScaledSigmoid {
    /** The reward at a window's left edge, the earliest a detection can be; rewards in windows are divided by it. */
    static final double MAX_TP = of(-1.0);

    private ScaledSigmoid() {
    }

    static double of(double relativePosition) {
        if (relativePosition > 3.0) {
            return -1.0;
        }
        return 2.0 / (1.0 + Math.exp(5.0 * relativePosition)) - 1.0;
    }
}
