package dev.pulse.server.alert;

import dev.pulse.server.analytics.AnomalySink;
import dev.pulse.server.analytics.Series;

import java.util.Arrays;

/**
 * The bounded hand-over from the event loops to the {@link AlertSender}'s thread: a preallocated ring of the flagged
 * values in primitive columns, so telling the sender of an anomaly stores seven fields and allocates nothing.
 *
 * <p>Many producers (the event loops, through {@link #flagged}), one consumer (the sender thread, through
 * {@link #drainTo}); both hold this object's monitor only to copy entries. A full ring refuses the new entry and
 * counts it in {@link #dropped()}: ingest never waits for alerting.
 */
public final class AlertQueue implements AnomalySink {
    /** Entries the sender copies out per hold of the monitor. */
    static final int DRAIN_SLICE = 1024;

    private final int capacity;
    // All arrays and fields below: guarded by this.
    private final Series[] series;
    private final long[] timeMs;
    private final double[] value;
    private final double[] mean;
    private final double[] stddev;
    private final double[] zscore;
    private final double[] score;
    private long head;    // sequence of the oldest entry
    private long tail;    // sequence of the next entry
    private long dropped; // entries refused because the ring was full

    public AlertQueue(int capacity) {
        this.capacity = capacity;
        series = new Series[capacity];
        timeMs = new long[capacity];
        value = new double[capacity];
        mean = new double[capacity];
        stddev = new double[capacity];
        zscore = new double[capacity];
        score = new double[capacity];
    }

    @Override
    public void flagged(Series s, double epochSeconds, double x, double m, double sd, double z, double sc) {
        long t = Math.round(epochSeconds * 1000.0);
        synchronized (this) {
            if (tail - head == capacity) {
                dropped++;
                return;
            }
            int i = (int) (tail % capacity);
            series[i] = s;
            timeMs[i] = t;
            value[i] = x;
            mean[i] = m;
            stddev[i] = sd;
            zscore[i] = z;
            score[i] = sc;
            tail++;
        }
    }

    /** Moves up to {@value #DRAIN_SLICE} of the oldest entries into {@code out}; returns how many. One consumer. */
    int drainTo(Chunk out) {
        out.clear();
        synchronized (this) {
            int n = (int) Math.min(DRAIN_SLICE, tail - head);
            for (int k = 0; k < n; k++) {
                int i = (int) ((head + k) % capacity);
                out.add(series[i], timeMs[i], value[i], mean[i], stddev[i], zscore[i], score[i]);
                series[i] = null;
            }
            head += n;
            return n;
        }
    }

    public synchronized long depth() {
        return tail - head;
    }

    public synchronized long dropped() {
        return dropped;
    }

    public int capacity() {
        return capacity;
    }

    /** Entries taken from the queue; owned by the sender thread and reused. */
    static final class Chunk {
        final Series[] series = new Series[DRAIN_SLICE];
        final long[] timeMs = new long[DRAIN_SLICE];
        final double[] value = new double[DRAIN_SLICE];
        final double[] mean = new double[DRAIN_SLICE];
        final double[] stddev = new double[DRAIN_SLICE];
        final double[] zscore = new double[DRAIN_SLICE];
        final double[] score = new double[DRAIN_SLICE];
        int size;

        void clear() {
            Arrays.fill(series, 0, size, null);
            size = 0;
        }

        void add(Series s, long t, double x, double m, double sd, double z, double sc) {
            int i = size++;
            series[i] = s;
            timeMs[i] = t;
            value[i] = x;
            mean[i] = m;
            stddev[i] = sd;
            zscore[i] = z;
            score[i] = sc;
        }
    }
}
