package dev.pulse.server.analytics.detect;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LevelModelTest {
    /** {@code m} started at {@code first} and fed values 1 to {@code last} of {@code x}, with the noise floor given. */
    private static LevelModel fed(LevelModel m, double first, double floor, int last, IntToDoubleFunction x) {
        m.start(first, 0);
        for (int n = 1; n <= last; n++) {
            m.observe(x.applyAsDouble(n), 0, floor, n);
        }
        return m;
    }

    @Test
    void aTrendingLevelFollowsARampThatALevelAloneLagsBehind() {
        // A ramp of 0.2 a value, noise-free: the level alone steps 0.05 of its error, so it settles where that is
        // the ramp's step, 0.2 / 0.05 = 4 behind the next value; the level with a trend learns the step and predicts
        // the next value almost exactly.
        LevelModel level = fed(LevelModel.alone(), 0, 1.0, 1_999, n -> 0.2 * n);
        LevelModel trending = fed(LevelModel.levelAndTrend(), 0, 1.0, 1_999, n -> 0.2 * n);
        double next = 0.2 * 2_000;
        assertEquals(4.0, next - level.predict(0), 0.01, "the level alone");
        assertEquals(0.0, next - trending.predict(0), 0.01, "the level with a trend");
    }

    @Test
    void aTrendLearntSteadilyAddsLittleNoiseOfItsOwn() {
        // Gaussian noise of sigma 1 on a drift of 0.05 a value. A trend that learns a large share of the level's
        // steps follows the noise too, and its errors read as more noise than the series has: at a share of 0.5 the
        // noise was taken as 1.12 (the mean of 20 series), which hid spikes just past the bar on drifting series; at
        // 0.4, 1.10.
        double sum = 0;
        for (long seed = 1; seed <= 20; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            LevelModel m = fed(LevelModel.levelAndTrend(), 0, 1e-9, 20_000, n -> 0.05 * n + r.nextGaussian());
            sum += LevelModel.sigma(m.mae(), 0);
        }
        double noise = sum / 20;
        assertTrue(noise > 1.0 && noise < 1.11, "noise taken as " + noise);
    }

    @Test
    void outliersThatAnotherBaselineHoldsAreThisOnesOwnErrorNotAShift() {
        // Gaussian noise of sigma 1 around 0, then 20 for ten values. Alone, three outliers in a row move the level to
        // them (a shift). Where another baseline holds those values (a turn it follows and this one's shape blurs),
        // they are learnt as errors within the bar: the level moves by a twentieth of 3 noise units a value.
        for (boolean othersHold : new boolean[] {false, true}) {
            SplittableRandom r = new SplittableRandom(5);
            LevelModel m = LevelModel.alone();
            m.start(0, 0);
            for (int n = 1; n <= 2_000; n++) {
                m.observe(n <= 1_990 ? r.nextGaussian() : 20, 0, 1e-9, n, n > 1_990 && othersHold);
            }
            double level = m.predict(0);
            assertTrue(othersHold ? level > 0.5 && level < 4 : level > 18, "level " + level + " with " + othersHold);
        }
    }

    @Test
    void aShiftThatAnotherBaselineFollowsAfterItsFirstValueIsStillAShift() {
        // Gaussian noise of sigma 1 around 0, then 20, give or take a noise unit, for ten values. The first is an
        // outlier for both baselines; the other one follows the shift and holds the nine after it. Those go on with
        // the run the first began, and LONG_RUN of them in a row move the level to the shift. Where each held value
        // ended the run, the level moved by a twentieth of 3 noise units a value (to about 2).
        double[] shift = {20, 21, 19.5, 20, 20.5, 19, 20, 21, 20, 19.5};
        SplittableRandom r = new SplittableRandom(5);
        LevelModel m = LevelModel.alone();
        m.start(0, 0);
        int n = 1;
        for (; n <= 2_000; n++) {
            m.observe(r.nextGaussian(), 0, 1e-9, n);
        }
        for (int k = 0; k < shift.length; k++) {
            m.observe(shift[k], 0, 1e-9, n++, k > 0);
        }
        double level = m.predict(0);
        assertTrue(level > 18 && level < 22, "level " + level);
    }

    @Test
    void aNoiseThatGrowsIsLearntFromItsOutliers() {
        // 5,000 values of exactly 1,000, then Gaussian noise of sigma 5 (mean absolute error 4). Learnt an outlier's
        // clipped step at a time, the error would still be near the floor's after 200 values.
        SplittableRandom r = new SplittableRandom(3);
        LevelModel m = fed(LevelModel.alone(), 1000, 1e-6, 5_200, n -> n <= 5_000 ? 1000 : 1000 + 5 * r.nextGaussian());
        assertTrue(m.mae() > 2 && m.mae() < 8, "mean absolute error " + m.mae());
    }

    @Test
    void outliersMostlyOnOneSideBetweenUsualValuesKeepTheErrorFinite() {
        // Runs of up to seven outliers above, too spread to be a shift, each ended by a usual value: the count of
        // recent outliers grows by six a run and must stay in its byte (wrapped, it made the error negative).
        LevelModel m = LevelModel.alone();
        m.start(0, 0);
        SplittableRandom r = new SplittableRandom(5);
        for (int n = 1; n <= 100_000; n++) {
            double x = n % 8 == 0 || n < 1_000 ? r.nextGaussian() : 1e3 * (1 + 9 * r.nextDouble());
            m.observe(x, 0, 1.0, n);
            assertTrue(m.mae() >= 0 && m.mae() < 1e4, "mean absolute error " + m.mae() + " at " + n);
        }
    }

    @Test
    void anAbsurdOutlierLeavesTheNoiseANumber() {
        // One value of 1e39 (past a float's range) counted among the outliers, then, much later, a noise of sigma 50
        // on a series that sat at 0: the new noise is learnt from its outliers, and is a number near 40. Summed as it
        // came, that value made the count's sum infinite, then NaN, and the model's error NaN for good.
        SplittableRandom r = new SplittableRandom(7);
        LevelModel m = fed(LevelModel.alone(), 0, 1.0, 3_000,
                n -> n == 1_000 ? 1e39 : n > 2_000 ? 50 * r.nextGaussian() : 0);
        assertTrue(m.mae() > 20 && m.mae() < 80, "mean absolute error " + m.mae());
    }

    @Test
    void theFastLevelFollowsATurnThatTheSlowOneLags() {
        // A level that falls by 50 over 36 values and comes back 200 values later (a weekend's turns at five-minute
        // steps), with noise of sigma 1: the slow level with a trend lags each turn and overshoots its end; the fast
        // one follows it, at the cost of more of the noise.
        LevelModel slow = LevelModel.levelAndTrend();
        LevelModel fast = LevelModel.fastLevelAndTrend();
        slow.start(0, 0);
        fast.start(0, 0);
        SplittableRandom r = new SplittableRandom(17);
        double slowError = 0;
        double fastError = 0;
        for (int n = 1; n < 20_000; n++) {
            int t = n % 600;
            double ramp = t < 300 ? 0 : t < 336 ? (t - 300) / 36.0 : t < 536 ? 1 : t < 572 ? 1 - (t - 536) / 36.0 : 0;
            double x = -50 * ramp + r.nextGaussian();
            if (n > 5_000) {
                slowError += Math.abs(x - slow.predict(0));
                fastError += Math.abs(x - fast.predict(0));
            }
            slow.observe(x, 0, 1e-6, n);
            fast.observe(x, 0, 1e-6, n);
        }
        // Mean absolute errors here: about 1.05 and 1.88, where the noise alone gives 0.8.
        assertTrue(fastError < 0.7 * slowError,
                "mean errors: fast " + fastError / 15_000 + ", slow " + slowError / 15_000);
    }
}
