package dev.pulse.server.analytics;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RollingWindowTest {

    /** Feeds both implementations and compares z before each value, then mean and stddev after it. */
    private static void compare(int capacity, int n, DoubleSupplier values, String label) {
        RollingWindow w = new RollingWindow(capacity);
        ReferenceWindow ref = new ReferenceWindow(capacity);
        for (int i = 0; i < n; i++) {
            double x = values.getAsDouble();
            double z = w.zscore(x);
            double expectedZ = ref.zscore(x);
            if (Double.isNaN(expectedZ)) {
                assertTrue(Double.isNaN(z), label + " value " + i + ": z should be undefined, was " + z);
            } else {
                assertEquals(expectedZ, z, 1e-6 * Math.max(1, Math.abs(expectedZ)), label + " z at " + i);
            }
            w.add(x);
            ref.add(x);
            double scale = Math.max(1e-300, ref.stddev());
            assertEquals(ref.mean(), w.mean(), 1e-9 * scale + Math.ulp(ref.mean()) * 4, label + " mean at " + i);
            assertEquals(ref.stddev(), w.stddev(), 1e-7 * scale, label + " stddev at " + i);
            assertEquals(ref.size(), w.size());
        }
    }

    @Test
    void matchesTheReferenceOnRandomStreams() {
        Random seeds = new Random(42);
        for (int c = 0; c < 300; c++) {
            long seed = seeds.nextLong();
            Random r = new Random(seed);
            int capacity = 2 + r.nextInt(80);
            double level = (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(12));
            double spread = Math.pow(10, r.nextInt(8) - 3);
            int kind = r.nextInt(4);
            compare(capacity, 400, () -> switch (kind) {
                case 0 -> level + r.nextGaussian() * spread;
                case 1 -> r.nextInt(5) == 0 ? level : level + r.nextGaussian() * spread; // repeats
                case 2 -> level + (r.nextInt(3)) * spread;                                  // few distinct values
                default -> r.nextInt(50) == 0 ? level + 100 * spread : level + r.nextGaussian() * spread; // spikes
            }, "seed " + seed);
        }
    }

    @Test
    void staysExactForLargeValuesWithSmallSpread() {
        Random r = new Random(7);
        compare(50, 20_000, () -> 1e9 + r.nextInt(3) - 1, "bytes around 1e9 ± 1");
        compare(50, 20_000, () -> 1.7e9 + r.nextGaussian() * 0.01, "timestamps as values");

        RollingWindow w = new RollingWindow(50);
        for (int i = 0; i < 10_000; i++) {
            w.add(1e9 + (i % 2));
        }
        assertEquals(1e9 + 0.5, w.mean(), 1e-9);
        assertEquals(0.5, w.stddev(), 1e-9, "a sum of squares would have cancelled to noise here");
    }

    @Test
    void valuesNearTheLimitsOfADoubleLeaveFiniteStatisticsAndNoTraceOnceGone() {
        Random r = new Random(11);
        compare(50, 3_000, () -> r.nextInt(40) == 0 ? (r.nextBoolean() ? 1 : -1) * Double.MAX_VALUE * r.nextDouble()
                : 100 + r.nextGaussian(), "now and then a value up to 1.8e308 either side");
        compare(20, 1_000, () -> r.nextInt(3) == 0 ? Double.MAX_VALUE : 1e300 * r.nextGaussian(), "huge values only");

        RollingWindow w = new RollingWindow(50);
        for (int i = 0; i < 100; i++) {
            w.add(100 + i % 2);
        }
        w.add(Double.MAX_VALUE);
        w.add(-Double.MAX_VALUE);
        assertTrue(Double.isFinite(w.mean()) && Double.isFinite(w.stddev()), w.mean() + " " + w.stddev());
        assertTrue(Double.isFinite(w.zscore(Double.MAX_VALUE)));
        for (int i = 0; i < 50; i++) {
            w.add(100 + i % 2);
        }
        assertEquals(100.5, w.mean(), 1e-12, "a sum of squares that overflowed once would be NaN for good");
        assertEquals(0.5, w.stddev(), 1e-12);
        for (int i = 0; i < 50; i++) {
            w.add(Double.MAX_VALUE);
        }
        assertTrue(w.isConstant());
        assertEquals(Double.MAX_VALUE, w.mean(), 0.0);
        assertEquals(0.0, w.stddev(), 0.0);
    }

    @Test
    void constantWindowHasExactMeanAndZeroStddev() {
        RollingWindow w = new RollingWindow(10);
        Random r = new Random(3);
        for (int i = 0; i < 25; i++) {
            w.add(r.nextGaussian() * 1e6);
        }
        for (int i = 0; i < 10; i++) {
            w.add(0.1);
        }
        assertTrue(w.isConstant());
        assertEquals(0.1, w.mean(), 0.0);
        assertEquals(0.0, w.stddev(), 0.0);
        assertEquals(0.0, w.zscore(0.1), 0.0);
        assertTrue(Double.isNaN(w.zscore(0.1000001)));
        w.add(0.2);
        assertEquals(0.11, w.mean(), 1e-15);
    }

    @Test
    void emptyWindowGivesZeroZ() {
        RollingWindow w = new RollingWindow(5);
        assertEquals(0.0, w.zscore(123), 0.0);
        w.add(5);
        assertTrue(Double.isNaN(w.zscore(6)), "one value is a constant window");
        assertEquals(0.0, w.zscore(5), 0.0);
    }

    @Test
    void copiesValuesOldestFirst() {
        RollingWindow w = new RollingWindow(3);
        double[] out = new double[3];
        w.add(1);
        w.add(2);
        assertEquals(2, w.copyTo(out));
        assertEquals(1.0, out[0]);
        w.add(3);
        w.add(4);
        assertEquals(3, w.copyTo(out));
        assertEquals(2.0, out[0]);
        assertEquals(4.0, out[2]);
    }
}
