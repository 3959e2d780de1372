package dev.pulse.server.analytics.detect;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShapeNoveltyTest {

    private static double wave(int i) {
        return 100 + 10 * Math.sin(2 * Math.PI * i / 24);
    }

    /** Feeds the wave's values {@code from} to {@code to} (exclusive); returns {@code to}. */
    private static int feedWave(ShapeNovelty s, int from, int to) {
        for (int i = from; i < to; i++) {
            s.observe(wave(i));
        }
        return to;
    }

    @Test
    void aRepeatedShapeStopsBeingNewAndAnUnseenOneIsNew() {
        ShapeNovelty s = new ShapeNovelty(ShapeNovelty.Params.DEFAULTS);
        int i = feedWave(s, 0, 24 * 10);
        for (int end = i + 24 * 20; i < end; i++) {
            assertFalse(s.observe(wave(i)), "a shape the wave drew every 24 values is new at " + i);
        }
        // A flat stretch in the middle of the range: shapes the wave never drew.
        int fresh = 0;
        for (int k = 0; k < 10; k++) {
            fresh += s.observe(100.0) ? 1 : 0;
        }
        assertTrue(fresh >= 3, "only " + fresh + " of the flat stretch's first 10 shapes are new");
        // Seen once, known the next time.
        i = feedWave(s, i, i + 24 * 3);
        int again = 0;
        for (int k = 0; k < 10; k++) {
            again += s.observe(100.0) ? 1 : 0;
        }
        assertTrue(again <= 1, again + " shapes of the second flat stretch are new");
    }

    @Test
    void oneAbsurdValueDoesNotMakeEveryShapeTheSame() {
        // A value widens the range by at most three times itself: had it taken 1e300, the mean and the bands'
        // width would follow it for good, every later value would fall in the lowest band, and no shape be new.
        ShapeNovelty s = new ShapeNovelty(ShapeNovelty.Params.DEFAULTS);
        int i = feedWave(s, 0, 24 * 40);
        s.observe(1e300);
        feedWave(s, i, i + 24 * 40);
        int fresh = 0;
        for (int k = 0; k < 10; k++) {
            fresh += s.observe(90.0) ? 1 : 0; // low in the wave's range, never held by it
        }
        assertTrue(fresh >= 3, "only " + fresh + " of a flat stretch's first 10 shapes are new");
    }

    @Test
    void aShapeNotSeenForTwoGenerationsIsForgotten() {
        ShapeNovelty.Params p = new ShapeNovelty.Params(12, 6, 2048, 500, 100_000);
        ShapeNovelty s = new ShapeNovelty(p);
        SplittableRandom r = new SplittableRandom(3);
        for (int k = 0; k < 200; k++) {
            s.observe(r.nextDouble() * 100); // sets the range
        }
        for (int k = 0; k < 6; k++) {
            s.observe(50.0);
        }
        assertFalse(s.observe(50.0), "a constant shape just drawn is new");
        // Noise for more than two generations, never drawing seven equal values in a row.
        for (int k = 0; k < 1_100; k++) {
            s.observe(r.nextDouble() * 100);
        }
        for (int k = 0; k < 5; k++) {
            s.observe(50.0);
        }
        assertTrue(s.observe(50.0), "the constant shape is still remembered after two generations of others");
    }
}
