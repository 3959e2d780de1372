package dev.pulse.server.analytics.detect;

/**
 * Tells when a detector has outgrown its series: residuals under {@link #RESIDUAL} of the noise it learnt, for
 * {@link #VALUES} values in a row, say that its scales come from values long over. A burst of garbage (values up to
 * 1e50 on a series around 1,000, each within reach of the range the ones before it had widened) leaves a noise, a
 * range and profiles that slow forgetting takes a hundred thousand values or more to wear down, and the series is
 * blind to every anomaly until then. Noise learnt right falls that close to its prediction about once in 1,250
 * values (Gaussian), so a run of 500 does not happen on a series the detector fits; the series then starts its
 * detector afresh ({@link dev.pulse.server.analytics.Detector#outgrown}), as it does one whose state overflowed to
 * NaN. Only values that moved count: a flat stretch (a series of zeros with a rare blip, after a noisy start) is not
 * a detector that outgrew it, and a prediction that comes ever closer to its level leaves residuals there that are
 * tiny but not 0.
 */
final class CalmRun {
    /** A residual under this many noise units is calm. */
    static final double RESIDUAL = 1e-3;
    /** Calm residuals in a row that say the detector has outgrown its series. */
    static final int VALUES = 500;

    private CalmRun() {
    }

    /**
     * The run after a value judged {@code residual} noise units from its prediction and {@code zscore} from the
     * window's mean: one longer when calm, 0 when not. A residual that is not a number extends it too: differences
     * past a double's range (1.7e308 after -1.7e308) can leave a detector's state NaN, and then every residual is.
     * A value that did not move (a z-score of 0: the window is constant and the value is its value) neither extends
     * nor breaks it.
     */
    static int next(int run, double residual, double zscore) {
        return zscore == 0 ? run : residual < RESIDUAL || residual != residual ? run + 1 : 0;
    }
}
