package dev.pulse.server.analytics.detect;

/** The error function, to within 1.2e-7 (Numerical Recipes' erfc Chebyshev fit), without allocation. */
final class Erf {
    private Erf() {
    }

    static double erf(double x) {
        double t = 1.0 / (1.0 + 0.5 * Math.abs(x));
        double erfc = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        double r = 1.0 - erfc;
        return x >= 0 ? Math.min(1.0, Math.max(0.0, r)) : -r;
    }
}
