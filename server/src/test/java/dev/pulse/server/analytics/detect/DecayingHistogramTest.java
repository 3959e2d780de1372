package dev.pulse.server.analytics.detect;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecayingHistogramTest {

    @Test
    void quantilesAreBinEdgesWithinOneEighthOfAnOctave() {
        DecayingHistogram h = new DecayingHistogram(1e9);
        for (int i = 1; i <= 1000; i++) {
            h.add(i / 100.0); // 0.01 .. 10
        }
        double q90 = h.quantile(0.9);
        assertTrue(q90 >= 9.0 && q90 <= 9.0 * Math.pow(2, 1.0 / 8) * 1.0001, "q90=" + q90);
        double q50 = h.quantile(0.5);
        assertTrue(q50 >= 5.0 && q50 <= 5.0 * Math.pow(2, 1.0 / 8) * 1.0001, "q50=" + q50);
        assertEquals(0.0, new DecayingHistogram(10).quantile(0.5), 0.0);
    }

    @Test
    void oldValuesFadeWithTheHalfLife() {
        DecayingHistogram h = new DecayingHistogram(100);
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
        DecayingHistogram h = new DecayingHistogram(50);
        for (int i = 0; i < 3_000_000; i++) {
            h.add(3.0);
        }
        double q = h.quantile(0.5);
        assertTrue(q >= 3.0 && q < 3.3, "q50=" + q);
    }

    @Test
    void oneScanFindsTheBinsOfTwoQuantileCalls() {
        DecayingHistogram h = new DecayingHistogram(500);
        java.util.SplittableRandom r = new java.util.SplittableRandom(9);
        for (int i = 0; i < 20_000; i++) {
            h.add(Math.abs(r.nextGaussian()) * (r.nextInt(50) == 0 ? 40 : 1));
            h.locateQuantiles(0.99, 0.90);
            assertEquals(h.quantile(0.99), DecayingHistogram.upperEdge(h.highBin()), 0.0, "value " + i);
            assertEquals(h.quantile(0.90), DecayingHistogram.upperEdge(h.lowBin()), 0.0, "value " + i);
        }
    }
}
