package dev.pulse.server.redis;

import dev.pulse.server.analytics.Series;

import java.util.Arrays;

/**
 * The entries taken from the {@link WriteBehindQueue} for one write round, by one or more calls of
 * {@link WriteBehindQueue#drainTo}, with the scratch arrays of the merge; owned by the writer thread and reused round
 * after round.
 */
public final class QueueChunk {
    // every field is the writer thread's
    private final Series[] series;
    private final double[] values;
    private final double[] times;
    private int size;
    // runs of entries the drain in progress took one after the other from one ring, for its discards: where each
    // starts here, its ring, and the ring's sequence number of its first entry
    private int[] runStart = new int[16];
    private int[] runRing = new int[16];
    private long[] runSequence = new long[16];
    private int runs;
    private long[] from = new long[0]; // per ring: the merge's scratch, grown when rings are added
    private long[] next = new long[0];
    private long[] end = new long[0];
    private int[] slots = new int[0];

    public QueueChunk(int capacity) {
        series = new Series[capacity];
        values = new double[capacity];
        times = new double[capacity];
    }

    void clear() {
        truncate(0);
    }

    /** A drain starts appending: its discards concern only the entries it takes. */
    void startDrain() {
        runs = 0;
    }

    /** Moves entry {@code from} to {@code to}, not after it: a pass that leaves entries out closes the gaps. */
    void move(int from, int to) {
        series[to] = series[from];
        values[to] = values[from];
        times[to] = times[from];
    }

    /**
     * Removes the first {@code n} entries (a round written), keeping the ones after them, which the writer took
     * while the round was in flight.
     */
    void removeFirst(int n) {
        int rest = size - n;
        System.arraycopy(series, n, series, 0, rest);
        System.arraycopy(values, n, values, 0, rest);
        System.arraycopy(times, n, times, 0, rest);
        truncate(rest);
    }

    /** Keeps the first {@code n} entries. */
    void truncate(int n) {
        Arrays.fill(series, n, size, null);
        size = n;
        runs = 0;
    }

    /** Appends one entry, sequence {@code sequence} of ring {@code ring}. */
    void add(Series s, double value, double ts, int ring, long sequence) {
        startRun(ring, sequence, 1);
        series[size] = s;
        values[size] = value;
        times[size] = ts;
        size++;
    }

    /**
     * Appends {@code count} entries from {@code from} in a ring's arrays, sequences {@code sequence} on of ring
     * {@code ring}: three array copies, nothing per entry.
     */
    void add(Series[] s, double[] v, double[] t, int from, int count, int ring, long sequence) {
        startRun(ring, sequence, count);
        System.arraycopy(s, from, series, size, count);
        System.arraycopy(v, from, values, size, count);
        System.arraycopy(t, from, times, size, count);
        size += count;
    }

    /** Records where the next {@code count} entries come from, extending the last run when they follow it. */
    private void startRun(int ring, long sequence, int count) {
        if (runs > 0 && runRing[runs - 1] == ring && runSequence[runs - 1] + (size - runStart[runs - 1]) == sequence) {
            return;
        }
        if (runs == runStart.length) {
            runStart = Arrays.copyOf(runStart, runs * 2);
            runRing = Arrays.copyOf(runRing, runs * 2);
            runSequence = Arrays.copyOf(runSequence, runs * 2);
        }
        runStart[runs] = size;
        runRing[runs] = ring;
        runSequence[runs] = sequence;
        runs++;
    }

    /**
     * Removes the entries the drain in progress took of {@code ring} before {@code sequence}, keeping the order of the
     * rest.
     */
    void discard(int ring, long sequence) {
        int w = runs > 0 ? runStart[0] : size; // the drain's first entry: those before it are not its own
        int kept = 0;
        for (int r = 0; r < runs; r++) {
            int start = runStart[r];
            int end = r + 1 < runs ? runStart[r + 1] : size;
            int skip = runRing[r] != ring ? 0 : (int) Math.min(end - start, Math.max(0, sequence - runSequence[r]));
            if (end - start - skip == 0) {
                continue;
            }
            System.arraycopy(series, start + skip, series, w, end - start - skip);
            System.arraycopy(values, start + skip, values, w, end - start - skip);
            System.arraycopy(times, start + skip, times, w, end - start - skip);
            runStart[kept] = w;
            runRing[kept] = runRing[r];
            runSequence[kept] = runSequence[r] + skip;
            kept++;
            w += end - start - skip;
        }
        Arrays.fill(series, w, size, null);
        size = w;
        runs = kept;
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
