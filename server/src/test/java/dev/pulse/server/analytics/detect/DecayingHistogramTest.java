package dev.pulse.server.analytics.detect;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecayingHistogramTest {

    @Test
    void quantilesAreBinEdgesWithinOneEighthOfAnOctave() {
        DecayingHistogram h = new DecayingHistogram(1e9, 0.99, 0.90);
        for (int i = 1; i <= 1000; i++) {
            h.add(i / 100.0); // 0.01 .. 10
        }
        double q90 = h.quantile(0.9);
        assertTrue(q90 >= 9.0 && q90 <= 9.0 * Math.pow(2, 1.0 / 8) * 1.0001, "q90=" + q90);
        double q50 = h.quantile(0.5);
        assertTrue(q50 >= 5.0 && q50 <= 5.0 * Math.pow(2, 1.0 / 8) * 1.0001, "q50=" + q50);
        assertEquals(0.0, new DecayingHistogram(10, 0.99, 0.90).quantile(0.5), 0.0);
    }

    @Test
    void oldValuesFadeWithTheHalfLife() {
        DecayingHistogram h = new DecayingHistogram(100, 0.99, 0.90);
        for (int i = 0; i < 1000; i++) {
            h.add(50.0);
        }
        for (int i = 0; i < 1000; i++) {
            h.add(1.0); // ten half-lives: the 50s now weigh about a thousandth
        }
        assertTrue(h.quantile(0.99) < 2.0, "q99=" + h.quantile(0.99));
        assertTrue(h.quantile(0.9999) > 40.0, "q99.99=" + h.quantile(0.9999));
    }

    @Test
    void survivesRescalingOverMillionsOfValues() {
        DecayingHistogram h = new DecayingHistogram(50, 0.99, 0.90);
        for (int i = 0; i < 3_000_000; i++) {
            h.add(3.0);
        }
        double q = h.quantile(0.5);
        assertTrue(q >= 3.0 && q < 3.3, "q50=" + q);
    }

    @Test
    void followedBinsAreTheBinsAScanStopsInAsTheDistributionMovesAndRescales() {
        // A half-life of 50 rescales every ~17,000 values; the scale of the values steps up and down every 5,000.
        DecayingHistogram h = new DecayingHistogram(50, 0.99, 0.90);
        java.util.SplittableRandom r = new java.util.SplittableRandom(9);
        for (int i = 0; i < 100_000; i++) {
            double scale = (i / 5_000) % 3 == 1 ? 30 : 1;
            h.add(Math.abs(r.nextGaussian()) * scale * (r.nextInt(50) == 0 ? 40 : 1));
            assertEquals(h.quantile(0.99), DecayingHistogram.upperEdge(h.highBin()), 0.0, "value " + i);
            assertEquals(h.quantile(0.90), DecayingHistogram.upperEdge(h.lowBin()), 0.0, "value " + i);
        }
    }

    @Test
    void aValueFallsInTheEighthOfAnOctaveItLiesIn() {
        for (int octave = 0; octave < DecayingHistogram.BINS / 8; octave++) {
            for (int k = 0; k < 8; k++) {
                // Where bin 8 * octave + k starts, exactly at powers of two and within an ulp elsewhere.
                double start = DecayingHistogram.MIN_VALUE * Math.pow(2.0, octave + k / 8.0);
                int expected = 8 * octave + k;
                assertEquals(expected, DecayingHistogram.bin(start * (1 + 1e-12)), "above start " + start);
                assertEquals(expected, DecayingHistogram.bin(start * Math.pow(2.0, 0.5 / 8)), "mid " + start);
                if (expected > 0) {
                    assertEquals(expected - 1, DecayingHistogram.bin(start * (1 - 1e-12)), "below start " + start);
                }
            }
            double power = DecayingHistogram.MIN_VALUE * Math.pow(2.0, octave);
            assertEquals(8 * octave, DecayingHistogram.bin(power), "2^" + octave + " / 64");
        }
        assertEquals(0, DecayingHistogram.bin(0.0));
        assertEquals(0, DecayingHistogram.bin(Double.NaN));
        assertEquals(DecayingHistogram.BINS - 1, DecayingHistogram.bin(1e300));
        assertEquals(DecayingHistogram.BINS - 1, DecayingHistogram.bin(Double.POSITIVE_INFINITY));
    }
}
