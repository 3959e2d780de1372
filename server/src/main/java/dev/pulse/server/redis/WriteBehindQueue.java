package dev.pulse.server.redis;

import dev.pulse.protocol.event.EventBatch;
import dev.pulse.server.analytics.BatchListener;
import dev.pulse.server.analytics.Series;
import dev.pulse.server.analytics.Source;
import dev.pulse.server.config.QueueFullPolicy;

import java.util.Arrays;

/**
 * The bounded write-behind queue between the event loops and the Redis writer: a preallocated ring of
 * (series, value, timestamp) in three parallel arrays, so enqueuing an event allocates nothing.
 *
 * <p>Many producers (event loops, which call {@link #applied} after each batch) and one consumer (the writer,
 * which calls {@link #drainTo}); both hold this object's monitor only to copy entries, never across I/O. What a
 * full ring does is the {@link QueueFullPolicy}: {@code DROP} overwrites the oldest entries, each one counted in
 * {@link #dropped()}, so a Redis outage longer than the queue loses the oldest writes, never silently, and never
 * blocks ingestion; {@code REJECT} refuses to {@link #reserve} room it does not have, so the request is shed with
 * 503 and nothing once accepted is lost.
 */
public final class WriteBehindQueue implements BatchListener {
    /** Entries copied out per hold of the monitor (a few microseconds). */
    static final int DRAIN_SLICE = 1024;

    private final Series[] series;
    private final double[] values;
    private final double[] times;
    private final int capacity;
    private final boolean rejectWhenFull;

    // All fields below: guarded by this.
    private long head;      // sequence of the oldest entry
    private long tail;      // sequence of the next entry to write
    private long dropped;   // entries overwritten before the writer took them
    private long offered;   // entries ever enqueued
    private long reserved;  // room promised to requests being applied (REJECT only)
    private int headSlot;   // head's index in the arrays: a wrapping counter spares a 64-bit division per entry
    private int tailSlot;   // tail's index in the arrays

    public WriteBehindQueue(int capacity, QueueFullPolicy policy) {
        this.capacity = capacity;
        this.rejectWhenFull = policy == QueueFullPolicy.REJECT;
        this.series = new Series[capacity];
        this.values = new double[capacity];
        this.times = new double[capacity];
    }

    @Override
    public boolean reserve(int values) {
        if (!rejectWhenFull) {
            return true;
        }
        synchronized (this) {
            if (tail - head + reserved + values > capacity) {
                return false;
            }
            reserved += values;
            return true;
        }
    }

    @Override
    public synchronized void release(int values) {
        if (rejectWhenFull) {
            reserved -= values;
        }
    }

    @Override
    public void applied(EventBatch batch, Source[] sources, Series[] resolved, double nowSeconds) {
        synchronized (this) {
            if (rejectWhenFull) {
                reserved -= batch.metricTotal(); // the reserved room is filled now, so nothing below overwrites
            }
            for (int e = 0, n = batch.size(); e < n; e++) {
                double ts = batch.timestamp(e);
                if (ts != ts) {
                    ts = nowSeconds;
                }
                for (int m = batch.metricStart(e), end = m + batch.metricCount(e); m < end; m++) {
                    if (resolved[m] != null) { // null: a rule ignores the metric
                        put(resolved[m], batch.metricValue(m), ts);
                    }
                }
            }
        }
    }

    @Override
    public void valuesApplied(Series[] applied, double[] appliedValues, double[] appliedTimes, int count) {
        synchronized (this) {
            if (rejectWhenFull) {
                reserved -= count;
            }
            for (int i = 0; i < count; i++) {
                put(applied[i], appliedValues[i], appliedTimes[i]);
            }
        }
    }

    /** Enqueues one value; the caller holds the monitor. */
    private void put(Series s, double value, double ts) {
        if (tail - head == capacity) {
            head++;
            headSlot = next(headSlot);
            dropped++;
        }
        int i = tailSlot;
        series[i] = s;
        values[i] = value;
        times[i] = ts;
        tailSlot = next(i);
        tail++;
        offered++;
    }

    /**
     * Moves up to {@code max} of the oldest entries into {@code out}; returns how many. Writer thread only. The
     * monitor is taken per slice of {@value #DRAIN_SLICE} entries: an event loop enqueuing waits for one slice's
     * copy at most, and a writer thread descheduled while it copies holds the event loops up for that long only.
     */
    public int drainTo(Chunk out, int max) {
        out.clear();
        int taken = 0;
        while (taken < max) {
            int n;
            synchronized (this) {
                n = (int) Math.min(Math.min(max - taken, DRAIN_SLICE), tail - head);
                int i = headSlot;
                for (int k = 0; k < n; k++) {
                    out.add(series[i], values[i], times[i]);
                    series[i] = null;
                    i = next(i);
                }
                headSlot = i;
                head += n;
            }
            taken += n;
            if (n < DRAIN_SLICE) {
                break;
            }
        }
        return taken;
    }

    private int next(int slot) {
        return slot + 1 == capacity ? 0 : slot + 1;
    }

    public synchronized long depth() {
        return tail - head;
    }

    public synchronized long dropped() {
        return dropped;
    }

    public synchronized long offered() {
        return offered;
    }

    /** A batch of entries taken from the queue, owned by the writer thread and reused. */
    public static final class Chunk {
        private Series[] series;
        private double[] values;
        private double[] times;
        private int size; // owned by the writer thread

        public Chunk(int capacity) {
            series = new Series[capacity];
            values = new double[capacity];
            times = new double[capacity];
        }

        void clear() {
            Arrays.fill(series, 0, size, null);
            size = 0;
        }

        void add(Series s, double value, double ts) {
            series[size] = s;
            values[size] = value;
            times[size] = ts;
            size++;
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
}
