package dev.pulse.server.analytics.detect;

/**
 * A detector's score from its ratio to a bar: r^2 / (r^2 + bar^2), in [0, 1] and 0.5 at the bar, so the decision is
 * the score above 0.5. Stateless.
 */
final class RatioScore {
    private RatioScore() {
    }

    /** The score of a ratio whose square is {@code r2}, against a bar whose square is {@code bar2}; 1 where r2 overflowed. */
    static double of(double r2, double bar2) {
        return r2 == Double.POSITIVE_INFINITY ? 1.0 : r2 / (r2 + bar2); // a ratio past about 1e154 squares to infinity
    }
}
