package dev.pulse.server.analytics.detect;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.pulse.server.analytics.detect.Flagged.count;
import static dev.pulse.server.analytics.detect.Flagged.every;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RobustDetectorTest {
    private static final double STEP = 300; // seconds between values

    /** Feeds {@code values} and returns the indices flagged. */
    private static boolean[] run(RobustDetector d, double[] values) {
        boolean[] flagged = new boolean[values.length];
        for (int i = 0; i < values.length; i++) {
            double s = d.observe(values[i], 1_420_070_400 + i * STEP, 0.0, Math.min(i, 50));
            assertTrue(s >= 0.0 && s <= 1.0, "score " + s + " at " + i);
            assertEquals(s > 0.5, d.lastAnomaly(), "the decision is the score above 0.5, at " + i);
            flagged[i] = d.lastAnomaly();
        }
        return flagged;
    }

    private static double[] noise(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 100 + 2 * r.nextGaussian();
        }
        return v;
    }

    @Test
    void aSeriesAround1e40FlagsWhatTheSameSeriesAtScaleOneFlags() {
        // Past a float's range (3.4e38) the median's offsets are held in a unit of their own: the same daily cycle,
        // noise and spikes scaled by 1e40 are flagged at the same values. Only a restart of the baselines differs:
        // the profiles' recent errors overflow the floats that hold them, so their levels do not jump to the new
        // level but learn it; every spike after the level shift is still flagged, and no score is NaN (run).
        double[] v = noise(6000, 9);
        for (int i = 0; i < v.length; i++) {
            v[i] += 20 * Math.sin(2 * Math.PI * i / 288) + (i >= 3000 ? 20 : 0); // a day at five minutes; a shift
        }
        for (int i = 3500; i < v.length; i += 500) {
            v[i] += 30;
        }
        double[] scaled = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            scaled[i] = v[i] * 1e40;
        }
        boolean[] plain = run(new RobustDetector(50, 10), v);
        boolean[] huge = run(new RobustDetector(50, 10), scaled);
        assertTrue(count(plain, 3000, 3010) > 0, "the level shift");
        for (int i = 0; i < 3000; i++) {
            assertEquals(plain[i], huge[i], "flag at " + i);
        }
        for (int i = 3500; i < v.length; i += 500) {
            assertTrue(plain[i] && huge[i], "the spike at " + i);
        }
    }

    @Test
    void aConstantSeriesIsNeverAnAnomaly() {
        double[] v = new double[5000];
        java.util.Arrays.fill(v, 42.0);
        assertEquals(0, count(run(new RobustDetector(50, 10), v), 0, v.length));
    }

    @Test
    void aChangeInAConstantSeriesIsFlaggedOnce() {
        double[] v = new double[3000];
        java.util.Arrays.fill(v, 42.0);
        for (int i = 2000; i < v.length; i++) {
            v[i] = 43.0;
        }
        boolean[] f = run(new RobustDetector(50, 10), v);
        assertTrue(f[2000], "the first changed value");
        assertEquals(1, count(f, 0, v.length), "one alarm for one event");
    }

    @Test
    void flagsIsolatedSpikesAndDipsInNoise() {
        double[] v = noise(6000, 1);
        int[] at = {2000, 2700, 3400, 4100, 4800, 5500};
        for (int k = 0; k < at.length; k++) {
            v[at[k]] += (k % 2 == 0 ? 1 : -1) * 2 * 8; // 8 sigma up, then down
        }
        boolean[] f = run(new RobustDetector(50, 10), v);
        for (int i : at) {
            assertTrue(f[i], "spike or dip at " + i);
        }
        // Nothing else after the first 1,000 values, bar the odd noise value.
        assertTrue(count(f, 1000, v.length) - at.length <= 2, "false alarms: " + (count(f, 1000, v.length) - at.length));
    }

    /**
     * The flags on {@code rows} values of noise around 100 (sigma 2) with {@code far} at value 2,000 (and the
     * {@code farValues} - 1 after it) and a spike of 10 sigma every 1,000 values from {@code firstSpike}.
     */
    private static boolean[] spikesAfter(double far, int farValues, int rows, int firstSpike) {
        double[] v = noise(rows, 11);
        java.util.Arrays.fill(v, 2_000, 2_000 + farValues, far);
        for (int i = firstSpike; i < rows; i += 1_000) {
            v[i] += 20;
        }
        return run(new RobustDetector(50, 10), v);
    }
    @Test
    void oneHugeValueDoesNotHideTheSpikesAfterIt() {
        // One value of 1e5 (a burst far beyond the spread, or a wrong unit). The range widens by at most itself per
        // value, so that value only doubles it; had it taken the 1e5, its margin and the residuals' floor would hide
        // every spike for the next hundred thousand values.
        assertEquals(7, every(spikesAfter(1e5, 1, 12_000, 5_000), 5_000, 1_000),
                "spikes flagged after the huge value");
    }

    @Test
    void noValueIsLargeEnoughToBlindItForGood() {
        // As above, with the largest values a double holds. Each is flagged as it is but learnt at most 1,000 ranges
        // beyond the range: learnt as it was, 1e300 put the baselines' errors near 1e297 and no spike passed again.
        for (double absurd : new double[] {1e300, -1e300, Double.MAX_VALUE, -Double.MAX_VALUE}) {
            boolean[] f = spikesAfter(absurd, 1, 20_000, 8_000);
            assertTrue(f[2_000], absurd + " itself");
            assertEquals(12, every(f, 8_000, 1_000), "spikes flagged after " + absurd);
        }
    }

    @Test
    void anIncidentDoesNotHideTheSpikesAfterIt() {
        // Twenty values at 10,000, a hundred times the level (an incident on a quiet series). They widen the range,
        // which forgets with a half-life of 100,000 values; 0.3% of it, the residuals' floor, was 15 sigma. It now
        // counts at most 100 local errors there, so the spikes from 6,000 values after the incident are flagged.
        assertEquals(12, every(spikesAfter(10_000, 20, 20_000, 8_000), 8_000, 1_000),
                "spikes flagged after the incident");
    }

    @Test
    void aSpikeThatRecursEveryFewValuesStopsBeingAnAnomaly() {
        double[] v = noise(8000, 2);
        for (int i = 1000; i < v.length; i += 40) {
            v[i] += 30; // 15 sigma, every 40 values
        }
        boolean[] f = run(new RobustDetector(50, 10), v);
        assertTrue(count(f, 1000, 2000) >= 1, "the first spikes are news");
        assertEquals(0, count(f, 6000, 8000), "by now they are the series' normal behaviour");
    }

    @Test
    void aLevelShiftIsFlaggedOnceAndTheNewLevelLearnt() {
        double[] v = noise(6000, 3);
        for (int i = 3000; i < v.length; i++) {
            v[i] += 12; // 6 sigma, for good
        }
        boolean[] f = run(new RobustDetector(50, 10), v);
        assertEquals(1, count(f, 3000, 3011), "flagged within 10 values of the shift");
        // The new level is learnt: what alarms remain are the few values that set a new all-time high.
        assertTrue(count(f, 3011, v.length) <= 2, "alarms after the shift: " + count(f, 3011, v.length));
    }

    @Test
    void aVarianceBurstIsFlagged() {
        double[] v = noise(5000, 4);
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 3000; i < 3050; i++) {
            v[i] = 100 + 10 * r.nextGaussian(); // noise five times larger for 50 values
        }
        boolean[] f = run(new RobustDetector(50, 10), v);
        assertTrue(count(f, 3000, 3050) >= 1);
        assertTrue(count(f, 3100, v.length) <= 1);
    }

    @Test
    void aDailyCycleIsNotAnAnomalyButABreakInItIs() {
        int perDay = 288;
        double[] v = noise(perDay * 20, 6);
        for (int i = 0; i < v.length; i++) {
            v[i] += 20 * Math.sin(2 * Math.PI * i / perDay); // 10 sigma amplitude
        }
        int at = perDay * 15 + perDay / 4; // the top of a cycle
        for (int i = at; i < at + 24; i++) {
            v[i] -= 30; // two hours far below the usual peak, yet within the series' range
        }
        boolean[] f = run(new RobustDetector(50, 10), v);
        // A median over the last 384 values would flag every peak; the learnt cycle leaves at most a stray one.
        assertTrue(count(f, perDay * 4, at) <= 2, "alarms on the normal days: " + count(f, perDay * 4, at));
        assertTrue(count(f, at, at + 24) >= 1, "the missing peak");
    }

    @Test
    void withoutItsProfilesTheMissingPeakGoesUnseen() {
        int perDay = 288;
        double[] v = noise(perDay * 20, 6);
        for (int i = 0; i < v.length; i++) {
            v[i] += 20 * Math.sin(2 * Math.PI * i / perDay);
        }
        int at = perDay * 15 + perDay / 4;
        for (int i = at; i < at + 24; i++) {
            v[i] -= 30;
        }
        RobustDetector.Params noProfiles = new RobustDetector.Params(384, 10, 300, 0.02, 100_000, 30, 5.0, 5000,
                10.0, 5.0, 0.75, 5000, 30, Double.POSITIVE_INFINITY, 1000, 500, 0.2, 96, 168, 20, 0.02, 3.0, 2.0);
        boolean[] f = run(new RobustDetector(noProfiles), v);
        assertEquals(0, count(f, at, at + 24), "the daily profile is what finds it");
    }

    @Test
    void suppressedValuesScoreAtMostHalf() {
        double[] v = new double[2000];
        java.util.Arrays.fill(v, 5.0);
        RobustDetector d = new RobustDetector(50, 10);
        for (int i = 0; i < 1500; i++) {
            d.observe(v[i], i * STEP, 0, 50);
        }
        assertEquals(1.0, d.observe(50.0, 1500 * STEP, 0, 50), 1e-9);
        assertTrue(d.lastAnomaly());
        double s = d.observe(60.0, 1501 * STEP, 0, 50);
        assertFalse(d.lastAnomaly(), "the same event");
        assertTrue(s <= 0.5 && s > 0.0, "score " + s);
    }

    /** Feeds {@code values}, the profiles placed on their times, each said to be {@code held} by another baseline. */
    private static void feedHeld(RobustDetector d, double[] values, boolean held) {
        for (int i = 0; i < values.length; i++) {
            d.locate(1_420_070_400 + i * STEP);
            d.observeLocated(values[i], 0.0, Math.min(i, 50), held);
        }
    }

    @Test
    void aHeldValuePastTheRangeIsNoAlarmWhileRecordsComeOften() {
        // A slow climb: every other value is a record. The next value past the range by about 16 margins fires the
        // range rule unless another baseline holds it.
        double[] climb = new double[1000];
        for (int i = 0; i < climb.length; i++) {
            climb[i] = 100 + 0.001 * i + (i % 2 == 0 ? -1 : 1);
        }
        double past = climb[climb.length - 1] + 1; // the range is about 3 wide, its margin 2% of that
        double at = 1_420_070_400 + climb.length * STEP;
        RobustDetector heldThere = new RobustDetector(50, 10);
        RobustDetector notHeld = new RobustDetector(50, 10);
        feedHeld(heldThere, climb, true);
        feedHeld(notHeld, climb, true);
        heldThere.locate(at);
        notHeld.locate(at);
        assertTrue(heldThere.observeLocated(past, 0.0, 50, true) <= 0.5, "held, a record among records");
        assertFalse(heldThere.lastAnomaly());
        notHeld.observeLocated(past, 0.0, 50, false);
        assertTrue(notHeld.lastAnomaly(), "not held, the range rule fires");
    }

    @Test
    void aHeldValuePastTheRangeIsStillAnAlarmAfterAStillStretch() {
        // No record for a thousand values: the first value past the range breaks the series' habit, held or not.
        // 98 and 102 in turns set the range (each extreme is reached again and again, so each is a record); then a
        // thousand values stay inside it.
        double[] still = new double[1200];
        for (int i = 0; i < still.length; i++) {
            still[i] = i < 200 ? (i % 2 == 0 ? 98 : 102) : (i % 2 == 0 ? 99 : 101);
        }
        RobustDetector d = new RobustDetector(50, 10);
        feedHeld(d, still, true);
        d.locate(1_420_070_400 + still.length * STEP);
        d.observeLocated(102.5, 0.0, 50, true);
        assertTrue(d.lastAnomaly(), "past the range by 6 margins after 1,000 values without a record");
    }
}
