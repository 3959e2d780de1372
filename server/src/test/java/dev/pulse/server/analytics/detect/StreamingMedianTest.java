package dev.pulse.server.analytics.detect;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamingMedianTest {

    private static final double SIGMA = 5.0;
    /** A Gaussian's MAD over its standard deviation. */
    private static final double MAD = 0.6745 * SIGMA;

    @Test
    void isExactWhileItHoldsFewerThanItsExactValues() {
        StreamingMedian m = new StreamingMedian(384, 16);
        SplittableRandom r = new SplittableRandom(11);
        double[] all = new double[16];
        for (int n = 1; n <= all.length; n++) {
            all[n - 1] = r.nextInt(10); // many duplicates
            m.add(all[n - 1]);
            double[] sorted = Arrays.copyOf(all, n);
            Arrays.sort(sorted);
            assertEquals(n, m.count());
            assertEquals(quantile(sorted, 0.5), m.median(), 1e-12);
            assertEquals((quantile(sorted, 0.75) - quantile(sorted, 0.25)) / 2, m.spread(), 1e-12);
        }
        assertTrue(Double.isNaN(new StreamingMedian(384, 16).median()));
    }

    @Test
    void aSeriesBeyondAFloatsRangeIsTheSameSeriesScaled() {
        // Offsets from the origin are floats; around 1e40 or 1e300 they pass a float's largest (3.4e38). Held in a
        // unit of their own, the estimates are those of the same values at scale 1, scaled, to a float's precision;
        // a restart from the latest values too.
        for (double scale : new double[] {1e40, 1e300, -1e300}) {
            StreamingMedian plain = new StreamingMedian(384, 64);
            StreamingMedian scaled = new StreamingMedian(384, 64);
            SplittableRandom r = new SplittableRandom(5);
            for (int i = 0; i < 5_000; i++) {
                double x = 100 + SIGMA * r.nextGaussian() + (i > 3_000 ? 50 : 0); // a level shift late on
                plain.add(x);
                scaled.add(x * scale);
                if (i == 4_000) {
                    plain.keepLatest(20);
                    scaled.keepLatest(20);
                }
            }
            assertEquals(plain.median(), scaled.median() / scale, 1e-4 * plain.median(), "median at " + scale);
            assertEquals(plain.spread(), Math.abs(scaled.spread() / scale), 1e-3 * plain.spread(), "spread at " + scale);
        }
    }

    @Test
    void oneHugeValueLeavesNoTraceOnceItHasLeftTheRing() {
        // A glitch of 1e300 widens the unit the offsets are held in; once it has left the ring, the unit narrows
        // again, so a restart from the latest values finds them as a series that never had it.
        StreamingMedian plain = new StreamingMedian(384, 64);
        StreamingMedian glitched = new StreamingMedian(384, 64);
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < 2_000; i++) {
            double x = 100 + SIGMA * r.nextGaussian();
            plain.add(x);
            glitched.add(i == 1_000 ? 1e300 : x);
        }
        plain.keepLatest(20);
        glitched.keepLatest(20);
        assertEquals(plain.median(), glitched.median(), 1e-6 * plain.median(), "median after the restart");
        assertEquals(plain.spread(), glitched.spread(), 1e-6 * plain.spread(), "spread after the restart");
    }

    @Test
    void convergesToTheMedianAndMadOfAStationaryStream() {
        StreamingMedian m = gaussianStream(3, 20_000);
        assertEquals(100, m.median(), 0.2 * SIGMA);
        assertEquals(MAD, m.spread(), 0.15 * MAD);
    }

    @Test
    void aSpikeMovesTheEstimatesByOneStepOnly() {
        StreamingMedian m = gaussianStream(5, 5_000);
        double median = m.median();
        double spread = m.spread();
        m.add(1e9);
        // One step is (2 / memory) x 2 x spread x a constant near 1: well under a tenth of the spread here.
        assertTrue(m.median() > median && m.median() - median < 0.1 * spread, m.median() + " after " + median);
        assertTrue(Math.abs(m.spread() - spread) < 0.1 * spread, m.spread() + " after " + spread);
    }

    @Test
    void followsADriftingLevelWithoutWideningTheSpread() {
        StreamingMedian m = new StreamingMedian(384, 64);
        SplittableRandom r = new SplittableRandom(7);
        double level = 0;
        for (int i = 0; i < 20_000; i++) {
            level = 0.002 * SIGMA * i; // 40 sigma over the run
            m.add(level + SIGMA * r.nextGaussian());
        }
        assertEquals(level, m.median(), 0.5 * SIGMA);
        // Quartiles estimated each on its own would lag apart under drift; the distance from the median does not.
        assertEquals(MAD, m.spread(), 0.15 * MAD);
    }

    @Test
    void keepLatestRestartsExactlyFromTheNewestValues() {
        StreamingMedian m = new StreamingMedian(384, 8);
        for (int i = 0; i < 1_000; i++) {
            m.add(i % 2 == 0 ? 0 : 10);
        }
        m.add(50);
        m.add(51);
        m.add(52);
        m.keepLatest(2); // 51, 52
        // Held as float offsets from the old level (about 5): exact to a float's 24 bits of a distance of about 46.
        double ulp = Math.ulp(46f);
        assertEquals(2, m.count());
        assertEquals(51.5, m.median(), ulp);
        assertEquals(0.25, m.spread(), ulp);
        m.add(53);
        assertEquals(52.0, m.median(), ulp);
        m.keepLatest(100); // no more than it holds
        assertEquals(3, m.count());
        assertEquals(52.0, m.median(), ulp);
    }

    @Test
    void keepsTheLatestValuesToAFractionOfTheirSpreadAfterTheLevelDriftedFar() {
        // The ring holds float offsets from an origin moved once a lap: after a drift of 100,000 (100,000 noise
        // units) the values kept by a restart are still exact to far less than their spread.
        StreamingMedian m = new StreamingMedian(384, 64);
        SplittableRandom r = new SplittableRandom(3);
        double[] last = new double[5];
        for (int i = 0; i < 20_000; i++) {
            double x = 1e9 + 5.0 * i + r.nextGaussian();
            last[i % 5] = x;
            m.add(x);
        }
        m.keepLatest(5);
        double[] sorted = last.clone();
        Arrays.sort(sorted);
        assertEquals(sorted[2], m.median(), 1e-3);
        assertEquals((quantile(sorted, 0.75) - quantile(sorted, 0.25)) / 2, m.spread(), 1e-3);
    }

    @Test
    void aFlatSeriesKeepsAZeroSpreadAndStillMovesWhenTheLevelChanges() {
        StreamingMedian m = new StreamingMedian(384, 8);
        for (int i = 0; i < 1_000; i++) {
            m.add(7.0);
        }
        assertEquals(7.0, m.median(), 0.0);
        assertEquals(0.0, m.spread(), 0.0);
        for (int i = 0; i < 1_000; i++) {
            m.add(8.0);
        }
        assertTrue(m.median() > 7.0 && m.median() <= 8.0 + 1e-6, "median " + m.median());
        assertTrue(m.spread() >= 0.0 && !Double.isNaN(m.spread()));
    }

    /** The default-sized estimator after {@code values} Gaussian values around 100 with {@link #SIGMA}. */
    private static StreamingMedian gaussianStream(long seed, int values) {
        StreamingMedian m = new StreamingMedian(384, 64);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < values; i++) {
            m.add(100 + SIGMA * r.nextGaussian());
        }
        return m;
    }

    private static double quantile(double[] sorted, double p) {
        double pos = p * (sorted.length - 1);
        int i = (int) pos;
        double f = pos - i;
        return i + 1 < sorted.length ? sorted[i] + f * (sorted[i + 1] - sorted[i]) : sorted[i];
    }
}
