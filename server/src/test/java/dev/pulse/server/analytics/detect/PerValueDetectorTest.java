package dev.pulse.server.analytics.detect;

import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

import static dev.pulse.server.analytics.detect.Flagged.count;
import static dev.pulse.server.analytics.detect.Flagged.every;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PerValueDetectorTest {
    private static final double STEP = 300; // seconds between values
    private static final long START = 1_420_070_400L;
    private static final int CLEAN = 4032; // two weeks of clean values first: the per-value rule needs about 2,800

    private static boolean[] run(PerValueDetector d, double[] values) {
        return run(d, values, STEP);
    }

    /** Feeds {@code values}, {@code stepSeconds} apart, and returns the flags. */
    private static boolean[] run(PerValueDetector d, double[] values, double stepSeconds) {
        boolean[] flagged = new boolean[values.length];
        for (int i = 0; i < values.length; i++) {
            double s = d.observe(values[i], START + i * stepSeconds, 0.0, Math.min(i, 50));
            assertTrue(s >= 0.0 && s <= 1.0, "score " + s + " at " + i);
            assertEquals(s > 0.5, d.lastAnomaly(), "the decision is the score above 0.5, at " + i);
            flagged[i] = d.lastAnomaly();
        }
        return flagged;
    }

    /** The flags of the robust detector alone on {@code values}. */
    private static boolean[] robustAlone(double[] values) {
        RobustDetector robust = new RobustDetector(50, 10);
        boolean[] flagged = new boolean[values.length];
        for (int i = 0; i < values.length; i++) {
            robust.observe(values[i], START + i * STEP, 0.0, Math.min(i, 50));
            flagged[i] = robust.lastAnomaly();
        }
        return flagged;
    }

    private static double[] gaussian(int n, double sigma, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 1000 + sigma * r.nextGaussian();
        }
        return v;
    }

    /** Adds a spike and a dip of {@code size} in turn every 50 values from {@code from}; returns how many. */
    private static int spikesAndDipsEvery50(double[] v, int from, double size) {
        int planted = 0;
        for (int i = from; i < v.length; i += 50) {
            v[i] += (i / 50 % 2 == 0 ? 1 : -1) * size;
            planted++;
        }
        return planted;
    }

    @Test
    void aSevenSigmaSpikeEveryFiftyValuesIsFlaggedEveryTime() {
        // Every time up to the noise: a 7-sigma spike on a value that happens to be 2.9 sigma low stays under the
        // bar (4.1 noise units), about one in 500; at most 2 of 200 may be missed.
        double sigma = 5;
        double[] v = gaussian(CLEAN + 10_000, sigma, 1);
        spikesAndDipsEvery50(v, CLEAN, 7 * sigma);
        boolean[] f = run(new PerValueDetector(50, 10), v);
        int missed = 0;
        int falsePositives = 0;
        int normal = 0;
        for (int i = CLEAN; i < v.length; i++) {
            if ((i - CLEAN) % 50 == 0) {
                missed += f[i] ? 0 : 1;
            } else {
                normal++;
                falsePositives += f[i] ? 1 : 0;
            }
        }
        assertTrue(missed <= 2, missed + " spikes and dips of 200 not flagged at their value");
        assertTrue(falsePositives <= 0.005 * normal, falsePositives + " false positives in " + normal);
    }

    @Test
    void sixSigmaSpikesAndDipsAreMissedOnlyWhereTheNoiseCancelsThem() {
        // The bar (4.1 noise units) lets a 6-sigma spike through unless the value under it is 1.9 sigma the other
        // way, one in 35; the noise as the rule takes it runs a little above sigma: 35 of 1,000 missed over five
        // seeds. A bar of 4.2 missed 42, one of 4.5 missed 76.
        double sigma = 5;
        int missed = 0;
        int planted = 0;
        for (long seed = 1; seed <= 5; seed++) {
            double[] v = gaussian(CLEAN + 10_000, sigma, seed);
            planted += spikesAndDipsEvery50(v, CLEAN, 6 * sigma);
            boolean[] f = run(new PerValueDetector(50, 10), v);
            for (int i = CLEAN; i < v.length; i += 50) {
                missed += f[i] ? 0 : 1;
            }
        }
        assertTrue(missed <= 0.04 * planted, missed + " spikes and dips of " + planted + " not flagged at their value");
    }

    @Test
    void aWeekendThatStartsAtMidnightIsNotFlaggedWeekAfterWeek() {
        // Ten weeks of a daily cycle of 100 sigma, halved on Saturdays and Sundays, which also sit 50 sigma lower, the
        // change ramped over the three hours around each midnight; sigma 1, no anomaly. The weekly baseline's
        // weekday and weekend day cannot hold the ramps; the fast level follows them, and judges them. Flags after two
        // weeks, four seeds: 16 of 64,512. With the weekly baseline judging the ramps it cannot hold, 75 (47 at the bar
        // of 4.2 and the floor of the local level's errors); when it also took their errors as level shifts (its level
        // jerked at every turn), 66 at those.
        int flagged = 0;
        for (long seed = 1; seed <= 4; seed++) {
            double[] v = weekThatTurnsAtMidnight(10 * 2_016, seed);
            boolean[] f = run(new PerValueDetector(50, 10), v);
            for (int i = 2 * 2_016; i < v.length; i++) {
                flagged += f[i] ? 1 : 0;
            }
        }
        assertTrue(flagged <= 25, flagged + " of 64,512 values flagged");
    }

    @Test
    void aCycleOfAHundredSigmaDoesNotRaiseTheNoiseFloorOverItsSpikes() {
        // The families' weekly shape (a daily cycle of 100 sigma, a weekend 50 sigma lower), 6.5-sigma spikes and dips
        // every 50 values from value 10,000. The range's extremes, moved with the trend, grow to about one and a half
        // times the values' span, and 0.3% of that range set a noise floor that held the rule's noise above the
        // weekly baseline's own, so spikes fell under the bar: 166 of 400 missed over two seeds. With the range
        // counted as at most 100 of the chosen baseline's errors rather than the local level's (which lag the
        // cycle), 53.
        int missed = 0;
        int planted = 0;
        for (long seed = 1; seed <= 2; seed++) {
            double[] v = weekThatTurnsAtMidnight(20_000, seed);
            planted += spikesAndDipsEvery50(v, 10_000, 6.5);
            boolean[] f = run(new PerValueDetector(50, 10), v);
            for (int i = 10_000; i < v.length; i += 50) {
                missed += f[i] ? 0 : 1;
            }
        }
        assertTrue(missed <= 0.25 * planted, missed + " spikes and dips of " + planted + " not flagged at their value");
    }

    @Test
    void aDailyCycleWhoseTimesDoNotShowItStillLetsSpikesThrough() {
        // A cycle of 10 sigma over 288 values (a day at five minutes), sent without timestamps: stamped as they
        // arrive, 1,000 a second, every value falls in one slot of the daily and weekly shapes. A level alone lags
        // the cycle by up to 4 sigma; the level with a trend follows it, so 8-sigma spikes stand out.
        double sigma = 5;
        double[] v = gaussian(CLEAN + 10_000, sigma, 4);
        boolean[] spike = new boolean[v.length];
        for (int i = 0; i < v.length; i++) {
            v[i] += 10 * sigma * Math.sin(2 * Math.PI * i / 288);
            if (i >= CLEAN && i % 50 == 0) {
                v[i] += (i / 50 % 2 == 0 ? 8 : -8) * sigma;
                spike[i] = true;
            }
        }
        PerValueDetector d = new PerValueDetector(50, 10);
        int missed = 0;
        int falsePositives = 0;
        for (int i = 0; i < v.length; i++) {
            d.observe(v[i], START + i / 1000.0, 0.0, Math.min(i, 50));
            if (i >= CLEAN) {
                if (spike[i]) {
                    missed += d.lastAnomaly() ? 0 : 1;
                } else {
                    falsePositives += d.lastAnomaly() ? 1 : 0;
                }
            }
        }
        assertTrue(missed <= 10, missed + " spikes and dips of 200 not flagged at their value");
        assertTrue(falsePositives <= 50, falsePositives + " false positives in 9,800");
    }

    @Test
    void aMostlyZeroCountIsLeftToRobustForItsFirstValues() {
        // A count that is mostly zero, with a burst every 50 values: the per-value rule stays silent for its first
        // 2,000 values (its gate starts closed and opens over about 2,800; no early trust, since the values repeat
        // and the bursts are all upwards), so only robust's rules speak. A gate that trusted such series sooner
        // flagged their bursts on NAB as false alarms (EVALUATION.md, "Anomalies from the start").
        SplittableRandom r = new SplittableRandom(3);
        double[] v = new double[2_000];
        for (int i = 0; i < v.length; i++) {
            v[i] = i % 50 == 25 ? 20 + r.nextDouble() : 0;
        }
        PerValueDetector perValue = new PerValueDetector(50, 10);
        RobustDetector robust = new RobustDetector(50, 10);
        for (int i = 0; i < v.length; i++) {
            double t = START + i * STEP;
            perValue.observe(v[i], t, 0.0, Math.min(i, 50));
            robust.observe(v[i], t, 0.0, Math.min(i, 50));
            assertEquals(robust.lastAnomaly(), perValue.lastAnomaly(), "the per-value rule spoke at " + i);
        }
    }

    /**
     * Gaussian noise (sigma 5) with an outlier every 50 values from value 50, {@code run} values long: 8 sigma, and
     * 8 and 16 in turns within a run (too spread for a level shift).
     */
    private static double[] outliersFromTheStart(long seed, boolean bothSides, int run) {
        double[] v = gaussian(4_000, 5, seed);
        for (int i = 50; i + run <= v.length; i += 50) {
            double side = bothSides && i / 50 % 2 == 0 ? -1 : 1;
            for (int k = 0; k < run; k++) {
                v[i + k] += side * (k % 2 == 0 ? 8 : 16) * 5;
            }
        }
        return v;
    }

    /** Of the first {@code count} values, those the per-value detector decided otherwise than its robust rules did. */
    private static boolean[] decisionsAddedToRobust(double[] v, int count) {
        PerValueDetector perValue = new PerValueDetector(50, 10);
        boolean[] added = new boolean[count];
        for (int i = 0; i < count; i++) {
            double t = START + i * STEP;
            perValue.observe(v[i], t, 0.0, Math.min(i, 50));
            added[i] = perValue.lastAnomaly() != perValue.robustAnomaly();
        }
        return added;
    }

    @Test
    void spikesAndDipsFromTheFirstValuesAreFlaggedOnceAFewStandClearOfTheNoise() {
        // No clean history: the shares of the gate would take about 6,000 values to cross at one outlier in 50, but
        // a few spikes and dips far past the bar with nothing just past it are evidence enough (early trust).
        double[] v = outliersFromTheStart(6, true, 1);
        boolean[] f = run(new PerValueDetector(50, 10), v);
        int missed = 0;
        int falsePositives = 0;
        for (int i = 1_000; i < v.length; i++) {
            if (i % 50 == 0) {
                missed += f[i] ? 0 : 1;
            } else {
                falsePositives += f[i] ? 1 : 0;
            }
        }
        assertTrue(missed <= 2, missed + " spikes and dips of 60 not flagged at their value");
        assertTrue(falsePositives <= 10, falsePositives + " false positives in 2,940");
    }

    @Test
    void clearSpikesAndDipsAreEvidenceEnough() {
        // Gaussian noise (sigma 5) rising by 0.05 a value, with a spike or a dip of 8 sigma in turns every 110 values
        // from value 100. Clear outliers on both sides soon make the per-value rule speak, and it flags the dips that
        // robust misses (its median lags the rise).
        double[] v = gaussian(1_000, 5, 8);
        for (int i = 0; i < v.length; i++) {
            v[i] += 0.05 * i + (i >= 100 && i % 110 == 100 ? (i / 110 % 2 == 0 ? 40 : -40) : 0);
        }
        boolean[] added = decisionsAddedToRobust(v, v.length);
        for (int i = 430; i < v.length; i += 220) {
            assertTrue(added[i], "dip at " + i + " flagged where robust misses it");
        }
    }

    @Test
    void outliersOnOneSideOnlyAreLeftToRobustUntilTheGateOpens() {
        // The same series with every outlier upwards, as bursts of load look: no early trust, so for its first 2,000
        // values the per-value rule adds nothing to robust's decisions. On twenty noise seeds, as the second value
        // steps down on about half of them: judged against no noise yet, that step is past any bar, but it is no
        // outlier of the series (counted as one, it made the rarer side, and the rule spoke early on such series).
        for (long seed = 1; seed <= 20; seed++) {
            assertEquals(0, count(decisionsAddedToRobust(outliersFromTheStart(seed, false, 1), 2_000)), "seed " + seed);
        }
    }

    @Test
    void outliersInLongRunsAreLeftToRobustUntilTheGateOpens() {
        // Both sides, but each outlier a run of six values: many values past the bar per flag, as the episodes of a
        // series' own behaviour look, not glitches.
        assertEquals(0, count(decisionsAddedToRobust(outliersFromTheStart(6, true, 6), 2_000)));
    }

    @Test
    void rareDipsOnADriftingLevelAreFlaggedBeforeTheGateOpens() {
        // Gaussian noise (sigma 5) rising by 0.05 a value, with a dip of 7 sigma every 500 values from value 700: too
        // few to trust the series by its clear outliers before the gate opens (about 2,800 values), and the robust
        // rules miss dips whose median lags the rise. Quiet noise is trust enough (QUIET_VALUES). The per-value
        // detector adds to robust's decisions exactly the dips: each flagged, where robust misses it, and no other.
        double[] v = gaussian(2_800, 5, 8);
        for (int i = 0; i < v.length; i++) {
            v[i] += 0.05 * i - (isDip(i) ? 35 : 0);
        }
        boolean[] added = decisionsAddedToRobust(v, v.length);
        for (int i = 0; i < v.length; i++) {
            assertEquals(isDip(i), added[i], "decision added to robust's at " + i);
        }
    }

    private static boolean isDip(int i) {
        return i >= 700 && i % 500 == 200;
    }

    @Test
    void spikesOnALevelThatHasDriftedFarAreStillFlagged() {
        // Gaussian noise (sigma 5) rising by 0.25 a value for 40,000 values, 2,000 noise units in all, with a spike
        // of 8 sigma, up or down in turns, every 2,000 values from value 20,000. The noise floor is a share of the
        // recent range, which moves with the trend (RANGE_HALF_LIFE), not of all the series has crossed: else
        // these spikes fall under the bar.
        double[] v = gaussian(40_000, 5, 9);
        for (int i = 0; i < v.length; i++) {
            v[i] += 0.25 * i + (i >= 20_000 && i % 2_000 == 1_000 ? (i / 2_000 % 2 == 0 ? 40 : -40) : 0);
        }
        boolean[] f = run(new PerValueDetector(50, 10), v);
        int spikes = 0;
        int flagged = 0;
        int falsePositives = 0;
        for (int i = 20_000; i < v.length; i++) {
            if (i % 2_000 == 1_000) {
                spikes++;
                flagged += f[i] ? 1 : 0;
            } else {
                falsePositives += f[i] ? 1 : 0;
            }
        }
        assertEquals(spikes, flagged, "spikes flagged at their value");
        assertTrue(falsePositives <= 10, falsePositives + " false positives in 19,990");
    }

    @Test
    void oneAbsurdValueDoesNotBlindTheRuleForGood() {
        // Gaussian noise (sigma 5) with one value of 1e6 at value 5,000 (a client's wrong unit), then a spike of
        // 8 sigma every 1,000 values from value 20,000: the range that sets the noise floor grew by at most itself
        // with that value, and has been forgotten since. Without that limit it held 1e6, and no spike passed.
        double[] v = gaussian(30_000, 5, 10);
        v[5_000] = 1e6;
        for (int i = 20_000; i < v.length; i += 1_000) {
            v[i] += 40;
        }
        boolean[] f = run(new PerValueDetector(50, 10), v);
        assertEquals(10, every(f, 20_000, 1_000), "spikes flagged after the absurd value");
    }

    @Test
    void aFlatSeriesThatStartsMovingIsLearntInAFewValues() {
        // 10,000 values of exactly 1,000 (a gauge that sat still), then Gaussian noise of sigma 5 for good. The
        // start is an anomaly, flagged; the new noise is learnt from the first run of outliers on both sides. Before,
        // the noise grew by an outlier's clipped step a value, and about 90 of the next 1,000 values were flagged.
        int still = 10_000;
        double[] noise = gaussian(2_000, 5, 11);
        double[] v = new double[still + noise.length];
        java.util.Arrays.fill(v, 0, still, 1000);
        System.arraycopy(noise, 0, v, still, noise.length);
        boolean[] f = run(new PerValueDetector(50, 10), v);
        int flagged = count(f, still, v.length);
        assertTrue(f[still], "the first moving value is flagged");
        assertTrue(flagged <= 10, flagged + " of the 2,000 values after the start flagged");
    }

    @Test
    void anIncidentDoesNotHideTheSpikesAfterIt() {
        // Twenty values at 100,000, a hundred times the level (an incident), then a 7-sigma spike every 50 values,
        // which robust soon learns as habit: the per-value rule must flag them. The incident's range forgets with a
        // half-life of 10,000 values, and 0.3% of it was the noise floor (60 sigma) for tens of thousands of values;
        // it now counts at most 100 of the level's mean errors there.
        double[] v = gaussian(30_000, 5, 12);
        java.util.Arrays.fill(v, 6_000, 6_020, 100_000);
        for (int i = 10_000; i < v.length; i += 50) {
            v[i] += 35;
        }
        int flagged = every(run(new PerValueDetector(50, 10), v), 15_000, 50);
        assertTrue(flagged >= 290, flagged + " of 300 spikes flagged after the incident");
    }

    /**
     * {@code n} values from START: a daily cycle of 100 noise units around 1,000, halved on Saturdays and Sundays,
     * which also sit 50 lower ({@link #weekend}), and Gaussian noise of 1.
     */
    private static double[] weekThatTurnsAtMidnight(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double t = START + i * STEP;
            double w = weekend(t);
            v[i] = 1000 * (1 + 0.1 * Math.sin(2 * Math.PI * (t - START) / 86_400) * (1 - 0.5 * w) - 0.05 * w)
                    + r.nextGaussian();
        }
        return v;
    }

    /** 1 on Saturday and Sunday (UTC), 0 on weekdays, ramped linearly over the three hours around each midnight. */
    private static double weekend(double epochSeconds) {
        double hours = ((epochSeconds - START) / 3600 + 3 * 24) % (7 * 24); // since Monday 00:00; START is a Thursday
        return pastTurn(hours - 5 * 24) - pastTurn(hours - 7 * 24) + 1 - pastTurn(hours); // Sunday's ends on Monday
    }

    /** How far past a three-hour turn centred on hour 0 an hour is: 0 before it, 1 after. */
    private static double pastTurn(double hours) {
        return Math.min(Math.max((hours + 1.5) / 3, 0), 1);
    }

    @Test
    void spikesOnAWeekWhoseWeekendTurnsSharplyAreFlagged() {
        // A daily cycle of 100 noise units, halved at the weekend, whose level drops by 50 over the three hours around
        // Saturday's midnight and rises again around Monday's: the weekday and weekend shapes blur those turns, their
        // errors kept the rule's gate shut, and it flagged 1 of these 200. A fast level with a trend follows
        // the turns, and on a series whose cycle the times show the rule now judges against it where it predicts best.
        double[] v = weekThatTurnsAtMidnight(CLEAN + 10_000, 13);
        int spikes = spikesAndDipsEvery50(v, CLEAN, 7);
        int flagged = every(run(new PerValueDetector(50, 10), v), CLEAN, 50);
        assertTrue(flagged >= 0.8 * spikes, flagged + " of " + spikes + " spikes and dips flagged");
    }

    @Test
    void aValueBeyondEveryScaleIsAnAnomalyWithScoreOne() {
        // 1e300 against noise of 5 around 1,000: every rule's ratio squares past a double's range. The decision and
        // the score must still agree (the score was NaN), for robust, pervalue and novelty alike.
        double[] v = gaussian(CLEAN, 5, 5);
        for (double huge : new double[] {1e300, -1e300}) {
            PerValueDetector perValue = new PerValueDetector(50, 10);
            RobustDetector robust = new RobustDetector(50, 10);
            NoveltyDetector novelty = new NoveltyDetector(new PerValueDetector(50, 10), NoveltyDetector.Params.DEFAULTS);
            for (int i = 0; i < v.length; i++) {
                double t = START + i * STEP;
                perValue.observe(v[i], t, 0.0, 50);
                robust.observe(v[i], t, 0.0, 50);
                novelty.observe(v[i], t, 0.0, 50);
            }
            double t = START + v.length * STEP;
            assertEquals(1.0, robust.observe(huge, t, 0.0, 50), 0.0, "robust, " + huge);
            assertTrue(robust.lastAnomaly());
            assertEquals(1.0, perValue.observe(huge, t, 0.0, 50), 0.0, "pervalue, " + huge);
            assertTrue(perValue.lastAnomaly());
            assertEquals(1.0, novelty.observe(huge, t, 0.0, 50), 0.0, "novelty, " + huge);
            assertTrue(novelty.lastAnomaly());
        }
    }

    @Test
    void theRobustDetectorAloneLearnsThoseSpikesAsHabit() {
        double sigma = 5;
        double[] v = gaussian(CLEAN + 10_000, sigma, 1);
        spikesAndDipsEvery50(v, CLEAN, 7 * sigma);
        int flagged = every(robustAlone(v), CLEAN, 50); // where they were planted
        assertTrue(flagged < 100, "the robust detector flags " + flagged + " of 200: the case this detector is for");
    }

    @Test
    void aLevelShiftIsFlaggedInItsFirstValuesThenLearnt() {
        double sigma = 2;
        double[] v = gaussian(CLEAN + 2000, sigma, 2);
        for (int i = CLEAN + 500; i < v.length; i++) {
            v[i] += 10 * sigma;
        }
        boolean[] f = run(new PerValueDetector(50, 10), v);
        boolean early = false;
        for (int i = CLEAN + 500; i < CLEAN + 505; i++) {
            early |= f[i];
        }
        assertTrue(early, "flagged in its first five values");
        int later = 0;
        for (int i = CLEAN + 510; i < v.length; i++) {
            later += f[i] ? 1 : 0;
        }
        // Not one flag per value at the new level (the robust rules may still raise an alarm or two).
        assertTrue(later <= 3, "the new level is learnt, yet " + later + " values flagged after it");
    }

    @Test
    void spikesOnADailyCycleAreFlagged() {
        double sigma = 10;
        double[] v = gaussian(2 * CLEAN + 11_000, sigma, 3);
        for (int i = 0; i < v.length; i++) {
            v[i] += 100 * Math.sin(2 * Math.PI * i * STEP / 86_400);
        }
        Spikes s = spikesEvery110(new PerValueDetector(50, 10), v, sigma);
        assertTrue(s.found >= 0.95 * s.spikes, s.found + " of " + s.spikes + " spikes");
        assertTrue(s.falsePositives <= 0.005 * s.scored, s.falsePositives + " false positives");
    }

    /** Spikes found, of those injected, and the other values flagged, of those scored. */
    private record Spikes(int found, int spikes, int falsePositives, int scored) {
    }

    /**
     * Adds an 8-sigma spike to {@code v} every 110 values after four weeks (two of clean history, two more for the
     * cycle), runs {@code d} over it and counts what it flagged from there.
     */
    private static Spikes spikesEvery110(PerValueDetector d, double[] v, double sigma) {
        int spikes = 0;
        for (int i = 2 * CLEAN; i < v.length; i += 110) {
            v[i] += 8 * sigma;
            spikes++;
        }
        boolean[] f = run(d, v);
        int found = 0;
        int falsePositives = 0;
        for (int i = 2 * CLEAN; i < v.length; i++) {
            boolean spike = (i - 2 * CLEAN) % 110 == 0;
            found += spike && f[i] ? 1 : 0;
            falsePositives += !spike && f[i] ? 1 : 0;
        }
        return new Spikes(found, spikes, falsePositives, v.length - 2 * CLEAN);
    }

    /**
     * A week of users at UTC+8: a daily cycle of 10 noise units, halved on their Saturday and Sunday, which are also 5
     * noise units lower; an 8-sigma spike every 110 values after four weeks.
     */
    private static Spikes spikesOnAWeekAtUtcPlus8(PerValueDetector d) {
        double sigma = 10;
        double[] v = gaussian(2 * CLEAN + 11_000, sigma, 5);
        for (int i = 0; i < v.length; i++) {
            double local = START + i * STEP + 8 * 3600;                  // seconds, at UTC+8
            long day = Math.floorMod((long) Math.floor(local / 86_400) + 3, 7); // 0 Monday (the epoch was a Thursday)
            boolean weekend = day >= 5;
            v[i] += 100 * Math.sin(2 * Math.PI * local / 86_400) * (weekend ? 0.5 : 1) - (weekend ? 50 : 0);
        }
        return spikesEvery110(d, v, sigma);
    }

    @Test
    void aWeekendInTheSeriesTimeZoneIsLearntAsTheWeekend() {
        RobustDetector.Params params = RobustDetector.Params.DEFAULTS.withWindow(50, 10);
        Spikes zoned = spikesOnAWeekAtUtcPlus8(new PerValueDetector(params, ZoneOffset.ofHours(8)));
        assertTrue(zoned.found >= 0.95 * zoned.spikes,
                zoned.found + " of " + zoned.spikes + " spikes, WEEK_TIME_ZONE=+08:00");
        assertTrue(zoned.falsePositives <= 0.005 * zoned.scored,
                zoned.falsePositives + " false positives, WEEK_TIME_ZONE=+08:00");
        // With the weekend taken as UTC's, a third of each weekend day reads the other day's shape: the fast level
        // follows those hours and finds the spikes there too (99 of 100), but the values flagged falsely nearly
        // double (24 against 13).
        Spikes utc = spikesOnAWeekAtUtcPlus8(new PerValueDetector(params));
        assertTrue(utc.falsePositives > zoned.falsePositives, utc.falsePositives + " false positives with UTC's "
                + "weekend, " + zoned.falsePositives + " with the series' own");
    }

    @Test
    void aZoneWithSummerTimeMovesTheWeekendWithIt() {
        PerValueDetector d = new PerValueDetector(RobustDetector.Params.DEFAULTS.withWindow(50, 10),
                ZoneId.of("America/New_York"));
        long march1 = 1_425_168_000L; // 2015-03-01T00:00:00Z; summer time began on 8 March, 07:00 UTC
        long march9 = 1_425_859_200L; // the next midnight UTC, when the offset is read again
        for (long t = march1; t < march1 + 14 * 86_400; t += 3600) {
            d.observe(100, t, 0.0, 10);
            assertEquals(t < march9 ? -5 : -4, d.weekOffsetHours(), "at " + t);
        }
        assertEquals(8, new PerValueDetector(RobustDetector.Params.DEFAULTS, ZoneOffset.ofHours(8)).weekOffsetHours());
        assertEquals(0, new PerValueDetector(50, 10).weekOffsetHours());
    }

    @Test
    void heavyTailedNoiseDoesNotWakeThePerValueRule() {
        // Laplace noise: a value past 4.5 noise units is everyday behaviour here, not an anomaly.
        SplittableRandom r = new SplittableRandom(4);
        double[] v = new double[20_000];
        for (int i = 0; i < v.length; i++) {
            double u = r.nextDouble() - 0.5;
            v[i] = 1000 - 10 * Math.signum(u) * Math.log(1 - 2 * Math.abs(u));
        }
        int perValueFlags = count(run(new PerValueDetector(50, 10), v));
        int robustFlags = count(robustAlone(v));
        assertTrue(perValueFlags <= robustFlags + 10, perValueFlags + " flags, the robust detector " + robustFlags);
    }

    @Test
    void aDriftToNewExtremesIsNoRangeAlarm() {
        // Gaussian noise that drifts upwards by a hundredth of sigma a value, from its first value, on three seeds: a
        // record every few values, each a little past the range. Alone, the range rule fires about once in a hundred
        // values (robust below). Held by the clean rule, only records past its clip (3 noise units) remain: 5 to 9
        // flags a seed where robust alone raised 25 to 32.
        int perValueFlags = 0;
        int robustFlags = 0;
        for (long seed = 1; seed <= 3; seed++) {
            double[] v = gaussian(3000, 1, seed);
            for (int i = 0; i < v.length; i++) {
                v[i] += 0.01 * i;
            }
            perValueFlags += count(run(new PerValueDetector(50, 10), v));
            robustFlags += count(robustAlone(v));
        }
        assertTrue(perValueFlags * 3 <= robustFlags, perValueFlags + " flags on three drifts of 3,000 values, robust "
                + "alone " + robustFlags);
    }

    @Test
    void spikesOnADailyCycleSampledHourlyAreFlagged() {
        // A daily cycle of 10 sigma, a value an hour: the cycle moves up to 2.6 sigma a value, which the fast level
        // follows with four to five times the week's error. Its clip then held most spikes for the week: 30 of these
        // 100 were flagged. Two clean weeks' worth of values first (4,032), then a spike or a dip of 8 sigma every 50
        // values.
        double sigma = 10;
        double[] v = gaussian(CLEAN + 5_000, sigma, 11);
        for (int i = 0; i < v.length; i++) {
            v[i] += 10 * sigma * Math.sin(2 * Math.PI * i / 24.0);
        }
        int planted = spikesAndDipsEvery50(v, CLEAN, 8 * sigma);
        int flagged = every(run(new PerValueDetector(50, 10), v, 3600), CLEAN, 50);
        assertTrue(flagged >= 0.95 * planted, flagged + " of " + planted + " spikes and dips flagged");
    }

    @Test
    void aWeeklyCycleAQuarterOfAnHourApartRaisesNoAlarmAtItsWeekendsTurns() {
        // The families' weekly shape, a value every 15 minutes for 20 weeks, no anomaly: a daily cycle of 100 sigma,
        // halved at the weekend, which is 50 sigma lower, with 3-hour ramps centred on the Saturday and Monday
        // midnights. A fast level that lags a quarter of an hour holds no ramp, and learnt into the weekday's and
        // weekend day's slots the ramps were false alarms every weekend: 26 after the first two weeks, where the
        // turns' own slots leave 5.
        double[] v = gaussian(20 * 672, 1, 5);
        for (int i = 0; i < v.length; i++) {
            long t = START + i * 900L;
            double weekend = WeekendRamp.share(t, 3);
            v[i] += 100 * Math.sin(2 * Math.PI * (t % 86_400) / 86_400.0) * (1 - 0.5 * weekend) - 50 * weekend;
        }
        int flags = count(run(new PerValueDetector(50, 10), v, 900), 2 * 672, v.length);
        assertTrue(flags <= 10, flags + " flags on " + (v.length - 2 * 672) + " clean values");
    }
}
