package dev.pulse.server.analytics.detect;

/**
 * The last {@code capacity} values both in arrival order (a ring) and sorted, so the median and any quantile are
 * an array read. Adding a value is two binary searches and one shift of the values between the evicted one and
 * the new one: O(capacity) moves of doubles, a third of it on average, no allocation.
 *
 * <p>Not thread-safe: owned by one detector, guarded by its series' lock.
 */
final class MedianWindow {
    private final double[] ring;
    private final double[] sorted;

    // Both fields: guarded by the series' lock.
    private int head;   // index in ring the next value is written to
    private int size;   // values held

    MedianWindow(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity=" + capacity);
        }
        ring = new double[capacity];
        sorted = new double[capacity];
    }

    int size() {
        return size;
    }

    /** The {@code p}-quantile (0..1) of the values held, interpolated between neighbours; NaN when empty. */
    double quantile(double p) {
        int n = size;
        if (n == 0) {
            return Double.NaN;
        }
        double pos = p * (n - 1);
        int i = (int) pos;
        double f = pos - i;
        return i + 1 < n ? sorted[i] + f * (sorted[i + 1] - sorted[i]) : sorted[i];
    }

    double median() {
        return quantile(0.5);
    }

    /**
     * Adds {@code x}, evicting the oldest value when full. Eviction and insertion are one move of the values
     * between the two positions, so a value near the one it replaces moves little.
     */
    void add(double x) {
        double[] s = sorted;
        int cap = ring.length;
        int n = size;
        if (n == cap) {
            // Any copy of the evicted value will do: equal values are interchangeable in a sorted array.
            long both = lowerBounds(x, ring[head]);
            int j = (int) (both >>> 32);
            int i = (int) both;
            if (j <= i) {
                System.arraycopy(s, j, s, j + 1, i - j);
                s[j] = x;
            } else {
                // Values between the two positions are below x: they move down into the evicted slot.
                System.arraycopy(s, i + 1, s, i, j - i - 1);
                s[j - 1] = x;
            }
        } else {
            int j = lowerBound(x);
            System.arraycopy(s, j, s, j + 1, n - j);
            s[j] = x;
            size = n + 1;
        }
        ring[head] = x;
        head = head + 1 == cap ? 0 : head + 1;
    }

    /** Keeps only the latest {@code keep} values: the baseline restarts from them after a level shift. */
    void keepLatest(int keep) {
        int k = Math.min(keep, size);
        int cap = ring.length;
        // The latest k values, oldest first, moved to the front of the ring; sorted rebuilt by insertion.
        int start = head - k;
        if (start < 0) {
            start += cap;
        }
        for (int i = 0; i < k; i++) {
            int from = start + i;
            sorted[i] = ring[from >= cap ? from - cap : from];
        }
        System.arraycopy(sorted, 0, ring, 0, k);
        head = k == cap ? 0 : k;
        size = k;
        insertionSort(sorted, k);
    }

    private static void insertionSort(double[] a, int n) {
        for (int i = 1; i < n; i++) {
            double v = a[i];
            int j = i - 1;
            while (j >= 0 && a[j] > v) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = v;
        }
    }

    /**
     * The first index whose value is not less than {@code v} (NaN-free input). Branch-free: the halving takes
     * the same steps whatever the data, and its selects compile to conditional moves, since a comparison with a
     * new value is a coin toss for the branch predictor.
     */
    private int lowerBound(double v) {
        return (int) lowerBounds(v, v);
    }

    /**
     * {@link #lowerBound} of two values at once, the first in the high half of the result: the two searches'
     * chains of dependent loads interleave, so both take about the time of one.
     */
    private long lowerBounds(double v, double w) {
        double[] s = sorted;
        int len = size;
        if (len == 0) {
            return 0;
        }
        int a = 0;
        int b = 0;
        while (len > 1) {
            int half = len >>> 1;
            a = s[a + half] < v ? a + half : a;
            b = s[b + half] < w ? b + half : b;
            len -= half;
        }
        long first = s[a] < v ? a + 1 : a;
        int second = s[b] < w ? b + 1 : b;
        return first << 32 | second;
    }
}
