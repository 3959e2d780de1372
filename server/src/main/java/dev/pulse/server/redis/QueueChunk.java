package dev.pulse.server.redis;

import dev.pulse.server.analytics.Series;

import java.util.Arrays;

/**
 * A batch of entries taken from the {@link WriteBehindQueue} by {@link WriteBehindQueue#drainTo}, with the scratch
 * arrays of the merge; owned by the writer thread and reused round after round.
 */
public final class QueueChunk {
    // every field is the writer thread's
    private final Series[] series;
    private final double[] values;
    private final double[] times;
    private final int[] rings;       // which ring each entry came from, and its sequence there: for discards
    private final long[] sequences;
    private int size;
    private long[] from = new long[0]; // per ring: the merge's scratch, grown when rings are added
    private long[] next = new long[0];
    private long[] end = new long[0];
    private int[] slots = new int[0];

    public QueueChunk(int capacity) {
        series = new Series[capacity];
        values = new double[capacity];
        times = new double[capacity];
        rings = new int[capacity];
        sequences = new long[capacity];
    }

    void clear() {
        Arrays.fill(series, 0, size, null);
        size = 0;
    }

    void add(Series s, double value, double ts, int ring, long sequence) {
        series[size] = s;
        values[size] = value;
        times[size] = ts;
        rings[size] = ring;
        sequences[size] = sequence;
        size++;
    }

    /** Removes the entries of {@code ring} before {@code sequence}, keeping the order of the rest. */
    void discard(int ring, long sequence) {
        int w = 0;
        for (int i = 0; i < size; i++) {
            if (rings[i] == ring && sequences[i] < sequence) {
                continue;
            }
            series[w] = series[i];
            values[w] = values[i];
            times[w] = times[i];
            rings[w] = rings[i];
            sequences[w] = sequences[i];
            w++;
        }
        Arrays.fill(series, w, size, null);
        size = w;
    }

    long[] from(int n) {
        return from.length >= n ? from : (from = new long[n]);
    }

    long[] next(int n) {
        return next.length >= n ? next : (next = new long[n]);
    }

    long[] end(int n) {
        return end.length >= n ? end : (end = new long[n]);
    }

    int[] slots(int n) {
        return slots.length >= n ? slots : (slots = new int[n]);
    }

    public int size() {
        return size;
    }

    public Series series(int i) {
        return series[i];
    }

    public double value(int i) {
        return values[i];
    }

    public double time(int i) {
        return times[i];
    }
}
