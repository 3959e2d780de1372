package dev.pulse.server.analytics.detect;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MedianWindowTest {

    @Test
    void quantilesOfTheLatestValuesMatchASortedCopy() {
        MedianWindow w = new MedianWindow(7);
        SplittableRandom r = new SplittableRandom(11);
        double[] all = new double[200];
        for (int i = 0; i < all.length; i++) {
            all[i] = r.nextInt(10); // many duplicates
            w.add(all[i]);
            int n = Math.min(i + 1, 7);
            double[] last = Arrays.copyOfRange(all, i + 1 - n, i + 1);
            Arrays.sort(last);
            assertEquals(n, w.size());
            assertEquals(last[0], w.quantile(0.0), 0.0);
            assertEquals(last[n - 1], w.quantile(1.0), 0.0);
            double pos = 0.5 * (n - 1);
            int lo = (int) pos;
            double expected = lo + 1 < n ? last[lo] + (pos - lo) * (last[lo + 1] - last[lo]) : last[lo];
            assertEquals(expected, w.median(), 1e-12);
        }
    }

    @Test
    void everyOrderStatisticMatchesASortedCopyAsValuesMoveUpAndDown() {
        int cap = 64;
        MedianWindow w = new MedianWindow(cap);
        SplittableRandom r = new SplittableRandom(3);
        double[] all = new double[5_000];
        for (int i = 0; i < all.length; i++) {
            // A drifting level and occasional jumps: new values land both above and below the ones they evict.
            all[i] = Math.sin(i / 50.0) * 10 + r.nextGaussian() + (r.nextInt(20) == 0 ? 30 : 0);
            w.add(all[i]);
            int n = Math.min(i + 1, cap);
            double[] last = Arrays.copyOfRange(all, i + 1 - n, i + 1);
            Arrays.sort(last);
            for (int k = 0; k < n; k++) {
                assertEquals(last[k], w.quantile(n == 1 ? 0.0 : k / (double) (n - 1)), 1e-9 * Math.abs(last[k]),
                        "value " + i + ", rank " + k);
            }
        }
    }

    @Test
    void keepLatestRestartsFromTheNewestValues() {
        MedianWindow w = new MedianWindow(5);
        for (double x : new double[] {1, 2, 3, 4, 5, 6, 7}) {
            w.add(x); // holds 3..7
        }
        w.keepLatest(2); // 6, 7
        assertEquals(2, w.size());
        assertEquals(6.5, w.median(), 0.0);
        w.add(100);
        w.add(101);
        w.add(102);
        w.add(103); // 6 evicted first: holds 7, 100..103
        assertEquals(7.0, w.quantile(0.0), 0.0);
        assertEquals(101.0, w.median(), 0.0);
        assertTrue(Double.isNaN(new MedianWindow(3).median()));
    }
}
