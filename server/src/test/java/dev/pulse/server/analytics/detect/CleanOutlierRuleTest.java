package dev.pulse.server.analytics.detect;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CleanOutlierRuleTest {
    private static final double STEP = 300; // seconds between values
    private static final double WEEK = 7 * 86_400;

    /**
     * The rule's answer for each of {@code n} values: Gaussian noise (sigma 5) around 1,000, plus {@code by[k]} at
     * index {@code at[k]}: on that value's noise, or, where {@code onTheNoise} is false, in its place, so that an
     * outlier lands exactly as far out as it says (one of 5 sigma between the bar and GAP_BAR, whatever the noise).
     */
    private static double[] ratios(long seed, int n, int[] at, double[] by, boolean onTheNoise) {
        SplittableRandom r = new SplittableRandom(seed);
        CleanOutlierRule rule = new CleanOutlierRule();
        double[] out = new double[n];
        int next = 0;
        for (int i = 0; i < n; i++) {
            double x = 1000 + 5 * r.nextGaussian();
            if (next < at.length && at[next] == i) {
                x = (onTheNoise ? x : 1000) + by[next++];
            }
            out[i] = rule.observe(x, i * STEP % WEEK, 1.0);
        }
        return out;
    }

    @Test
    void aClearSpikeAndAClearDipAreEvidenceEnough() {
        // Long before the gate's shares cross (about 2,800 values), a spike and a dip of 10 sigma with nothing just
        // past the bar make the rule speak: the dip is flagged. The spike alone was not enough.
        for (long seed = 1; seed <= 10; seed++) {
            double[] r = ratios(seed, 600, new int[] {300, 400}, new double[] {50, -50}, true);
            assertEquals(0.0, r[300], "seed " + seed + ": one clear outlier, no evidence yet");
            assertTrue(r[400] > 1.0, "seed " + seed + ": the dip flagged, " + r[400]);
        }
    }

    @Test
    void theSecondValuesStepIsNoEvidence() {
        // The second value is judged against no noise yet, so its step is past any bar; a spike after it must not
        // make the series look as if it had clear outliers on both sides.
        for (long seed = 1; seed <= 10; seed++) {
            double[] r = ratios(seed, 600, new int[] {1, 300, 400}, new double[] {-50, 50, 50}, true);
            assertEquals(0.0, r[400], "seed " + seed + ": two spikes after a step down, still silent");
        }
    }

    @Test
    void nearOutliersUpToTwiceTheClearOnesLeaveTrust() {
        // Three outliers of 5 sigma (past the bar, short of GAP_BAR) between a clear spike and a clear dip: the dip
        // still makes the rule speak. In a series' first days a cycle's baseline judges in a noise larger than the
        // series' own, and about half of its spikes of 6-10 sigma land there.
        for (long seed = 1; seed <= 10; seed++) {
            double[] r = ratios(seed, 600, new int[] {300, 330, 360, 390, 420}, new double[] {50, 25, 25, 25, -50},
                    false);
            assertTrue(r[420] > 1.0, "seed " + seed + ": the dip flagged, " + r[420]);
        }
    }

    @Test
    void moreThanTwiceAsManyNearOutliersWithholdTrust() {
        // Five near outliers for two clear ones: what a heavy tail past the bar looks like, so the rule waits.
        for (long seed = 1; seed <= 10; seed++) {
            double[] r = ratios(seed, 600, new int[] {300, 330, 360, 390, 410, 420, 440},
                    new double[] {50, 25, 25, 25, 25, 25, -50}, false);
            assertEquals(0.0, r[440], "seed " + seed + ": silent");
        }
    }
}
