package dev.pulse.server.analytics.detect;

/**
 * Subnormal numbers (under {@link Double#MIN_NORMAL}, about 2.2e-308) as 0. A decaying average whose signal stopped
 * (a share of new shapes on a series that repeats itself, a spread on a counter that is almost always 0) shrinks
 * into them and stays at the least one, as its next step rounds to nothing; and every operation on a subnormal takes
 * the processor's slow path. On such series a detector took up to eight times its usual time per value
 * (EVALUATION.md, "Series that stop moving"). Every such number is far below any noise a detector judges in
 * ({@link NoiseFloor#ABSOLUTE}), so as 0 it decides the same. The averages' step ({@link WeightedAverage#step}) and
 * the ranges' ({@link ForgottenRange}) apply it; levels and trends, each updated its own way, where they update.
 * Stateless.
 */
final class FlushToZero {
    private FlushToZero() {
    }

    /** {@code v}, or 0 where it is subnormal. */
    static double of(double v) {
        return Math.abs(v) < Double.MIN_NORMAL ? 0.0 : v;
    }

    /** {@code v}, or 0 where it is subnormal as a float (under {@link Float#MIN_NORMAL}, about 1.2e-38). */
    static float of(float v) {
        return Math.abs(v) < Float.MIN_NORMAL ? 0f : v;
    }
}
