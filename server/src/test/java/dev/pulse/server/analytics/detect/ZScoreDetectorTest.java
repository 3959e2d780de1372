package dev.pulse.server.analytics.detect;

import dev.pulse.server.analytics.RollingWindow;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZScoreDetectorTest {

    @Test
    void flagsOnlyBeyondTheThresholdOnceTheWindowHoldsMinSamples() {
        ZScoreDetector d = new ZScoreDetector(2.0, 10);
        d.observe(100, 0, 5.0, 9);
        assertFalse(d.lastAnomaly(), "9 values are fewer than MIN_SAMPLES");
        d.observe(100, 0, 5.0, 10);
        assertTrue(d.lastAnomaly());
        d.observe(100, 0, -2.0001, 10);
        assertTrue(d.lastAnomaly(), "both tails count");
        d.observe(100, 0, 2.0, 50);
        assertFalse(d.lastAnomaly(), "|z| equal to the threshold is not above it");
        d.observe(100, 0, -1.5, 50);
        assertFalse(d.lastAnomaly());
    }

    @Test
    void anUndefinedZOnAConstantWindowIsAnAnomalyWithScoreOne() {
        ZScoreDetector d = new ZScoreDetector(2.0, 10);
        assertEquals(1.0, d.observe(7, 0, Double.NaN, 10), 0.0);
        assertTrue(d.lastAnomaly());
        assertEquals(1.0, d.observe(7, 0, Double.NaN, 3), 0.0);
        assertFalse(d.lastAnomaly(), "still too few values");
    }

    @Test
    void aZWhoseSquareOverflowsScoresOne() {
        // A window whose spread is tiny against the value: z of 1e200 squares past a double's range.
        ZScoreDetector d = new ZScoreDetector(2.0, 10);
        assertEquals(1.0, d.observe(1e200, 0, 1e200, 50), 0.0);
        assertTrue(d.lastAnomaly());
        assertEquals(1.0, d.observe(-1e200, 0, -1e200, 50), 0.0);
    }

    @Test
    void scoresZeroOnAnEmptyWindowHalfAtTheThresholdAndRisesWithZ() {
        ZScoreDetector d = new ZScoreDetector(2.0, 10);
        assertEquals(0.0, d.observe(1, 0, 0.0, 0), 0.0);
        assertEquals(0.5, d.observe(1, 0, 2.0, 20), 1e-12);
        assertEquals(0.5, d.observe(1, 0, -2.0, 20), 1e-12);
        double previous = 0;
        for (double z = 0; z < 20; z += 0.5) {
            double s = d.observe(1, 0, z, 20);
            assertTrue(s >= previous && s <= 1.0, "z=" + z + " score=" + s);
            previous = s;
        }
    }

    @Test
    void decisionsOnAHandWorkedSeries() {
        // Window of 4, MIN_SAMPLES 3, threshold 2. z of each value against the window before it:
        // 10: empty window. 12: one value. 10: two values. 12: z = 1.414 against [10, 12, 10].
        // 13.9: z = 2.9 against [10, 12, 10, 12] (mean 11, stddev 1). 14.5: z = 1.831 against [12, 10, 12, 13.9].
        // 9: z = -2.043 against [10, 12, 13.9, 14.5] (mean 12.6, stddev 1.762).
        RollingWindow w = new RollingWindow(4);
        ZScoreDetector d = new ZScoreDetector(2.0, 3);
        double[] xs = {10, 12, 10, 12, 13.9, 14.5, 9};
        boolean[] expected = {false, false, false, false, true, false, true};
        for (int i = 0; i < xs.length; i++) {
            int n = w.size();
            d.observe(xs[i], i, w.zscore(xs[i]), n);
            assertEquals(expected[i], d.lastAnomaly(), "value " + i + " = " + xs[i]);
            w.add(xs[i]);
        }
    }
}
