package dev.pulse.server.analytics.detect;

/**
 * The two ends of a series' range as the detectors keep it: slowly forgotten, so a range seen once long ago stops
 * hiding new extremes, and widened by a value by at most a reach, so one absurd value cannot set it for good. Each
 * end moves to a value past it (within the reach), else by a step (a trend, or 0) and a share of its distance to a
 * center (the series' level). Never subnormal ({@link FlushToZero}). Stateless: the callers hold the ends.
 */
final class ForgottenRange {
    private ForgottenRange() {
    }

    /** The high end after value {@code x}. */
    static double high(double high, double x, double reach, double step, double decay, double center) {
        return FlushToZero.of(Math.max(Math.min(x, high + reach), high + step - decay * (high - center)));
    }

    /** The low end after value {@code x}. */
    static double low(double low, double x, double reach, double step, double decay, double center) {
        return FlushToZero.of(Math.min(Math.max(x, low - reach), low + step + decay * (center - low)));
    }
}
