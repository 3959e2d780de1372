package dev.pulse.server.analytics.detect;

/**
 * One step of an exponentially weighted average, the update every detector's rates and mean errors share. The step
 * never leaves the average subnormal ({@link FlushToZero}): an average whose values went to 0 would otherwise sink
 * into subnormal numbers and stay there, and cost up to eight times its time per value. Stateless.
 */
final class WeightedAverage {
    private WeightedAverage() {
    }

    /** {@code average} moved by {@code weight} of the way towards {@code value}. */
    static double step(double average, double value, double weight) {
        return FlushToZero.of(average + weight * (value - average));
    }
}
