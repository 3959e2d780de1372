package dev.pulse.server.analytics;

import dev.pulse.server.config.DetectorKind;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeriesScoreTest {

    @Test
    void everyScoreIsANumberThatAgreesWithTheDecisionAtAnyScale() {
        // Values of 1e40 and 1e300 are finite, so the contract takes them; robust keeps its recent values as floats,
        // which hold them in a unit of their own. The score a reply carries must be in [0, 1], and for the detectors
        // whose score is their decision (all but zscore, whose score also speaks before MIN_SAMPLES) above 0.5
        // exactly when flagged; the spikes must be flagged at every scale.
        for (DetectorKind kind : DetectorKind.values()) {
            for (double scale : new double[] {1e-30, 1, 1e40, 1e300}) {
                Series s = OneSeries.of(kind);
                SplittableRandom r = new SplittableRandom(7);
                int flagged = 0;
                for (int i = 0; i < 3_000; i++) {
                    double x = scale * (5 + r.nextGaussian() + (i % 500 == 499 ? 20 : 0));
                    boolean anomaly = s.observe(x, 1.7e9 + i * 300.0);
                    double score = s.lastScore();
                    assertTrue(score >= 0 && score <= 1, kind + " at " + scale + ": score " + score + " at " + i);
                    if (kind != DetectorKind.ZSCORE) {
                        assertEquals(anomaly, score > 0.5, kind + " at " + scale + ": score " + score + " at " + i);
                    }
                    flagged += anomaly ? 1 : 0;
                }
                assertTrue(flagged > 0, kind + " at " + scale + " flagged nothing");
            }
        }
    }

    @Test
    void forgetsABurstOfGarbageOnceItIsOver() {
        // 500 values of random sign and magnitude up to 1e300, each within reach of the range the ones before it
        // widened: slow forgetting left robust, pervalue and novelty blind to spikes of 1e5 noise units for more than
        // 20,000 clean values. Values at a double's limits, whose differences overflow, left robust's state NaN for
        // good. Now the series starts a new detector once its residuals stay far inside its noise, or are no number.
        SplittableRandom r = new SplittableRandom(3);
        DoubleSupplier[] bursts = {
                () -> (r.nextBoolean() ? 1 : -1) * Math.pow(10, 300 * r.nextDouble()),
                () -> r.nextBoolean() ? Double.MAX_VALUE : -Double.MAX_VALUE};
        for (DoubleSupplier burst : bursts) {
            for (DetectorKind kind : DetectorKind.values()) {
                Series s = OneSeries.of(kind);
                double t = 1.7e9;
                for (int i = 0; i < 500; i++, t += 300) {
                    s.observe(burst.getAsDouble(), t);
                }
                for (int i = 0; i < 3_000; i++, t += 300) {
                    s.observe(1000 + r.nextGaussian(), t);
                }
                assertTrue(s.observe(1000 + 1e5, t), kind + " missed a spike of 1e5 noise units 3,000 values after "
                        + (burst == bursts[0] ? "random garbage" : "values at a double's limits"));
            }
        }
    }
}
