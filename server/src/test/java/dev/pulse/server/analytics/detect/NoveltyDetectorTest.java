package dev.pulse.server.analytics.detect;

import dev.pulse.server.analytics.Detector;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.pulse.server.analytics.detect.Flagged.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NoveltyDetectorTest {
    private static final double STEP = 300;
    private static final long START = 1_420_070_400L;
    private static final int SMALL = 2000;
    private static final int SMALL_AGAIN = 3000;
    private static final int SMALL_VALUES = 40;

    /**
     * A 25-value sine (no whole number of them in a day, so the daily profile cannot learn it) with a little noise,
     * at 40% of its amplitude for 40 values at SMALL and again at SMALL_AGAIN.
     */
    private static double[] series() {
        SplittableRandom r = new SplittableRandom(7);
        double[] v = new double[4000];
        for (int i = 0; i < v.length; i++) {
            boolean small = (i >= SMALL && i < SMALL + SMALL_VALUES) || (i >= SMALL_AGAIN && i < SMALL_AGAIN + SMALL_VALUES);
            v[i] = 100 + (small ? 4 : 10) * Math.sin(2 * Math.PI * (i + 0.3) / 25) + 0.01 * r.nextGaussian();
        }
        return v;
    }

    private static boolean[] run(Detector d, double[] v) {
        boolean[] f = new boolean[v.length];
        for (int i = 0; i < v.length; i++) {
            double s = d.observe(v[i], START + i * STEP, 0.0, Math.min(i, 50));
            assertTrue(s >= 0.0 && s <= 1.0, "score " + s + " at " + i);
            assertEquals(s > 0.5, d.lastAnomaly(), "the decision is the score above 0.5, at " + i);
            f[i] = d.lastAnomaly();
        }
        return f;
    }

    @Test
    void aNewShapeAlarmsWhereTheRobustRulesAloneStaySilentAndOnlyTheFirstTime() {
        double[] v = series();
        boolean[] robust = run(new RobustDetector(50, 10), v);
        boolean[] novelty = run(new NoveltyDetector(new RobustDetector(50, 10), NoveltyDetector.Params.DEFAULTS), v);
        assertEquals(0, count(robust, SMALL, SMALL + 10), "the robust rules flag the small wave's start themselves");
        assertTrue(count(novelty, SMALL, SMALL + 10) >= 1, "the first small wave, never drawn before, is not flagged");
        assertEquals(count(robust, SMALL_AGAIN, SMALL_AGAIN + SMALL_VALUES),
                count(novelty, SMALL_AGAIN, SMALL_AGAIN + SMALL_VALUES),
                "the second small wave, a shape already seen, raises alarms of the novelty rule");
        assertEquals(count(robust, 0, SMALL) + count(robust, SMALL + SMALL_VALUES, v.length),
                count(novelty, 0, SMALL) + count(novelty, SMALL + SMALL_VALUES, v.length),
                "the novelty rule flags values outside the new shape");
    }

    @Test
    void onNoiseWhereEveryShapeIsNewTheRuleStaysSilent() {
        SplittableRandom r = new SplittableRandom(11);
        double[] v = new double[20_000];
        for (int i = 0; i < v.length; i++) {
            v[i] = 1000 + 5 * r.nextGaussian();
        }
        boolean[] robust = run(new RobustDetector(50, 10), v);
        boolean[] novelty = run(new NoveltyDetector(new RobustDetector(50, 10), NoveltyDetector.Params.DEFAULTS), v);
        assertEquals(count(robust, 0, v.length), count(novelty, 0, v.length),
                "new shapes of plain noise raise alarms of their own");
    }
}
