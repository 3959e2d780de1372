package dev.pulse.server.analytics;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pulse.server.config.DetectorKind;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing (Jazzer) of one series under each detector: any finite values at any times, as a broken
 * client may send them, then a long clean stretch. Invariants: no exception; every score a number in [0, 1], and
 * above 0.5 exactly when flagged for the detectors whose score is their decision; the window's average and stddev
 * finite. After the clean stretch the series must have forgotten whatever came before: few flags on the clean
 * values, a clear spike flagged, and the window's statistics those of the clean values. The first input bytes
 * choose the detector and the length of the fuzzed stretch. {@code make test} replays the corpus in
 * {@code SeriesFuzzTestInputs/}; {@code make fuzz} explores.
 */
class SeriesFuzzTest {
    private static final int MAX_FUZZED = 2_000;
    /** Clean values after the fuzzed ones: the detectors forget a burst of garbage within a few thousand. */
    private static final int CLEAN = 20_000;
    /** The last clean values, whose flags are counted. */
    private static final int CHECKED = 4_000;
    private static final double LEVEL = 1000;
    private static final double STEP_SECONDS = 300;
    private static final double CLEAN_START = 1.8e9;

    @FuzzTest(maxDuration = "60s")
    void forgetsAnyValuesOnceTheyAreOver(FuzzedDataProvider data) {
        DetectorKind kind = DetectorKind.values()[data.consumeInt(0, DetectorKind.values().length - 1)];
        Series s = OneSeries.of(kind);
        int fuzzed = data.consumeInt(0, MAX_FUZZED);
        double t = CLEAN_START - MAX_FUZZED * STEP_SECONDS;
        for (int i = 0; i < fuzzed && data.remainingBytes() > 0; i++) {
            double x = data.consumeRegularDouble();
            t = switch (data.consumeInt(0, 3)) {
                case 0 -> data.consumeRegularDouble(); // any time at all
                case 1 -> t;                           // the same time again
                default -> t + STEP_SECONDS;
            };
            observe(s, kind, x, t, "fuzzed value " + i);
        }

        SplittableRandom r = new SplittableRandom(1);
        int flagged = 0;
        for (int i = 0; i < CLEAN; i++) {
            boolean anomaly = observe(s, kind, LEVEL + r.nextGaussian(), CLEAN_START + i * STEP_SECONDS, "clean value " + i);
            flagged += anomaly && i >= CLEAN - CHECKED ? 1 : 0;
        }
        // zscore flags about 4.6% of Gaussian values by its rule; the others a fraction of a percent.
        double limit = kind == DetectorKind.ZSCORE ? 0.08 : 0.01;
        assertTrue(flagged <= limit * CHECKED, kind + " flagged " + flagged + " of the last " + CHECKED + " clean values");
        assertEquals(LEVEL, s.rollingAverage(), 1.0, kind + ": the window's average");
        assertTrue(s.stddev() > 0.5 && s.stddev() < 2, kind + ": the window's stddev " + s.stddev());
        assertTrue(observe(s, kind, LEVEL + 1e4, CLEAN_START + CLEAN * STEP_SECONDS, "the spike"),
                kind + " missed a spike of 10,000 noise units after " + CLEAN + " clean values");
    }

    private static boolean observe(Series s, DetectorKind kind, double x, double t, String what) {
        boolean anomaly = s.observe(x, t);
        double score = s.lastScore();
        assertTrue(score >= 0 && score <= 1, kind + ": score " + score + " at " + what);
        if (kind != DetectorKind.ZSCORE) {
            assertEquals(anomaly, score > 0.5, kind + ": score " + score + " against the decision at " + what);
        }
        assertTrue(Double.isFinite(s.rollingAverage()) && Double.isFinite(s.stddev()),
                kind + ": window " + s.rollingAverage() + " / " + s.stddev() + " at " + what);
        return anomaly;
    }
}
