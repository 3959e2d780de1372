package dev.pulse.perf.nab;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Hand-worked cases. The file of most tests: 100 rows, probation rows 0-14, one window on rows 40-49 (width 10).
 * A detection on the window's left edge earns 1 (the reward curve's maximum), one on its right edge
 * (2 / (1 + e^-0.5) - 1) / 0.98661 = 0.24824; a false positive before any window costs the FP weight, one row
 * past the window (2 / (1 + e^(5/9)) - 1) x FP weight = -0.27084 x 0.11.
 */
class NabScorerTest {
    private static final double EPS = 1e-4;
    private static final FileScoring ONE_WINDOW = new FileScoring("t/one.csv", 100, new int[][] {{40, 49}});

    private static boolean[] at(int rows, int... detected) {
        boolean[] d = new boolean[rows];
        for (int i : detected) {
            d[i] = true;
        }
        return d;
    }

    @Test
    void probationIsFifteenPercentCappedAt750Rows() {
        assertEquals(15, FileScoring.probationRows(100));
        assertEquals(150, FileScoring.probationRows(1000));
        assertEquals(749, FileScoring.probationRows(4999));
        assertEquals(750, FileScoring.probationRows(5000));
        assertEquals(750, FileScoring.probationRows(22695));
    }

    @Test
    void scaledSigmoidMatchesNabsPublishedPoints() {
        assertEquals(0.98661, ScaledSigmoid.of(-1.0), 1e-5);
        assertEquals(0.84828, ScaledSigmoid.of(-0.5), 1e-5);
        assertEquals(0.0, ScaledSigmoid.of(0.0), 1e-12);
        assertEquals(-0.98661, ScaledSigmoid.of(1.0), 1e-5);
        assertEquals(-1.0, ScaledSigmoid.of(3.01), 0.0);
    }

    @Test
    void detectingNothingScoresZeroAndEveryWindowMissed() {
        Tally t = NabScorer.score(ONE_WINDOW, at(100), Profile.STANDARD);
        assertEquals(-1.0, t.raw(), EPS);
        assertEquals(0.0, t.normalized(), EPS);
        assertEquals(0, t.windowsDetected());
        assertEquals(85, t.scoredRows());
    }

    @Test
    void detectionOnTheLeftEdgeIsPerfect() {
        Tally t = NabScorer.score(ONE_WINDOW, at(100, 40), Profile.STANDARD);
        assertEquals(1.0, t.raw(), EPS);
        assertEquals(100.0, t.normalized(), EPS);
    }

    @Test
    void onlyTheEarliestDetectionInAWindowCounts() {
        assertEquals(0.24824, NabScorer.score(ONE_WINDOW, at(100, 49), Profile.STANDARD).raw(), EPS);
        Tally both = NabScorer.score(ONE_WINDOW, at(100, 45, 40, 49), Profile.STANDARD);
        assertEquals(1.0, both.raw(), EPS);
        assertEquals(1, both.windowsDetected());
        assertEquals(0, both.falsePositives());
    }

    @Test
    void falsePositivesCostByProfileAndDistanceAndNotInProbation() {
        // Row 5 is in probation: free. Row 20: before any window, full cost. Row 50: just past the window.
        // Row 90: (90 - 49) / 9 > 3 widths past it, full cost.
        boolean[] d = at(100, 5, 20, 49, 50, 90);
        Tally std = NabScorer.score(ONE_WINDOW, d, Profile.STANDARD);
        assertEquals(0.24824 - 0.11 - 0.27084 * 0.11 - 0.11, std.raw(), EPS);
        assertEquals(3, std.falsePositives());
        Tally lowFp = NabScorer.score(ONE_WINDOW, d, Profile.REWARD_LOW_FP_RATE);
        assertEquals(0.24824 - 0.22 - 0.27084 * 0.22 - 0.22, lowFp.raw(), EPS);
        assertEquals(1000.0 * 3 / 85, std.falsePositivesPerThousand(), EPS);
    }

    @Test
    void normalisesAgainstTheNullAndPerfectDetectorsOfEachProfile() {
        boolean[] d = at(100, 20, 49);
        double raw = 0.24824 - 0.11;
        assertEquals(100 * (raw + 1) / 2, NabScorer.score(ONE_WINDOW, d, Profile.STANDARD).normalized(), EPS);
        // Low FN rate: a miss costs 2, so the null detector scores -2.
        assertEquals(100 * (raw + 2) / 3, NabScorer.score(ONE_WINDOW, d, Profile.REWARD_LOW_FN_RATE).normalized(),
                EPS);
    }

    @Test
    void aWindowInsideTheProbationIsNotScoredButItsEndStillShapesLaterCosts() {
        FileScoring f = new FileScoring("t/early.csv", 100, new int[][] {{2, 8}});
        assertEquals(0, f.windows());
        Tally t = NabScorer.score(f, at(100, 5, 20), Profile.STANDARD);
        // Row 20 is (20 - 8) / 6 = 2 widths past the early window: 2 / (1 + e^10) - 1.
        assertEquals((2 / (1 + Math.exp(10)) - 1) * 0.11, t.raw(), EPS);
        assertEquals(Double.NaN, t.normalized());
    }

    @Test
    void sumsFilesBeforeNormalising() {
        FileScoring other = new FileScoring("t/two.csv", 200, new int[][] {{50, 59}, {150, 169}});
        Tally t = NabScorer.score(List.of(ONE_WINDOW, other),
                List.of(at(100, 40), at(200, 150)), Profile.STANDARD);
        assertEquals(3, t.windows());
        assertEquals(2, t.windowsDetected());
        assertEquals(1.0 + 1.0 - 1.0, t.raw(), EPS);
        assertEquals(100 * (1.0 + 3) / 6, t.normalized(), EPS);
    }

    @Test
    void sweepFindsTheThresholdThatScoresBest() {
        double[] s = new double[100];
        java.util.Arrays.fill(s, 0.1);
        s[20] = 0.9;
        s[30] = 0.8;
        s[40] = 0.6;
        NabScorer.Sweep best = NabScorer.bestThreshold(List.of(ONE_WINDOW), List.of(s), Profile.STANDARD);
        // At 0.6: the window from its left edge and two full-cost false positives.
        assertEquals(0.6, best.threshold(), 0.0);
        assertEquals(1.0 - 0.22, best.tally().raw(), EPS);
        assertEquals(1, best.tally().windowsDetected());
        assertEquals(2, best.tally().falsePositives());
        Tally same = NabScorer.score(ONE_WINDOW, NabScorer.detections(s, best.threshold()), Profile.STANDARD);
        assertEquals(same.raw(), best.tally().raw(), 1e-12);
    }

    @Test
    void sweepDetectsNothingWhenEveryDetectionCostsMore() {
        double[] s = new double[100];
        s[60] = 1.0;
        s[49] = 0.5;
        for (int i = 15; i < 40; i++) {
            s[i] = 0.5;
        }
        NabScorer.Sweep best = NabScorer.bestThreshold(List.of(ONE_WINDOW), List.of(s), Profile.STANDARD);
        // Threshold 1.0 only adds a false positive; 0.5 adds the window's right edge (0.248) and 25 full-cost
        // false positives. Detecting nothing is best.
        assertEquals(Double.POSITIVE_INFINITY, best.threshold());
        assertEquals(-1.0, best.tally().raw(), EPS);
        assertEquals(0, best.tally().windowsDetected());
    }
}
