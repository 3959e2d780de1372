package dev.pulse.server.anomaly;

import dev.pulse.server.analytics.AnomalySink;
import dev.pulse.server.analytics.Series;

import java.util.function.Function;

/**
 * The last {@code ANOMALY_LOG_SIZE} anomalies, oldest first: a preallocated ring of primitive columns plus a
 * reference to each anomaly's {@link Series} (whose source and metric names are interned in the registry), so an
 * append stores eight fields and allocates nothing.
 *
 * <p>Every entry has a sequence number, 1 for the first and one more for each after it: the cursor of
 * {@code GET /anomalies} and of the Redis stream writer. Threading: many writers (the event loops, through
 * {@link #flagged}) and a few readers (a {@code /anomalies} request, the Redis writer thread); all hold this object's
 * monitor only to store or copy entries, never across I/O, and readers copy at most {@value #READ_SLICE} entries
 * per hold, so an event loop waits for one slice's copy at most.
 */
public final class AnomalyLog implements AnomalySink {
    /** Entries a reader copies per hold of the monitor. */
    static final int READ_SLICE = 1024;

    private final int capacity;
    private final Function<Series, String> detectorOf;
    // All arrays and fields below: guarded by this.
    private final long[] timeMs;
    private final String[] detector;
    private final Series[] series;
    private final double[] value;
    private final double[] mean;
    private final double[] stddev;
    private final double[] zscore;
    private final double[] score;
    private long next = 1; // the sequence number of the next entry; entries next - capacity .. next - 1 are kept

    /**
     * @param capacity entries kept ({@code ANOMALY_LOG_SIZE}); older ones are overwritten
     * @param detectorOf the name of a series' detector, read when its anomaly is logged (a field read: the names
     *                   are constants)
     */
    public AnomalyLog(int capacity, Function<Series, String> detectorOf) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity=" + capacity);
        }
        this.capacity = capacity;
        this.detectorOf = detectorOf;
        timeMs = new long[capacity];
        detector = new String[capacity];
        series = new Series[capacity];
        value = new double[capacity];
        mean = new double[capacity];
        stddev = new double[capacity];
        zscore = new double[capacity];
        score = new double[capacity];
    }

    public int capacity() {
        return capacity;
    }

    /** The name of {@code s}'s detector, as entries report it. */
    public String detector(Series s) {
        return detectorOf.apply(s);
    }

    @Override
    public void flagged(Series s, double epochSeconds, double x, double m, double sd, double z, double sc) {
        long t = Math.round(epochSeconds * 1000.0);
        String d = detectorOf.apply(s);
        synchronized (this) {
            int i = (int) ((next - 1) % capacity);
            timeMs[i] = t;
            detector[i] = d;
            series[i] = s;
            value[i] = x;
            mean[i] = m;
            stddev[i] = sd;
            zscore[i] = z;
            score[i] = sc;
            next++;
        }
    }

    /** The sequence number of the newest entry; 0 while empty. */
    public synchronized long newest() {
        return next - 1;
    }

    /**
     * Copies into {@code out} up to {@code limit} entries with a sequence number above {@code since}, oldest first,
     * of source {@code source} only unless it is null. {@code out.next()} is then the cursor to continue from: the
     * last entry looked at (matching or not), or {@code since} when nothing came after it. A {@code since} ahead of
     * the newest entry is a cursor from before a restart, whose log is gone: reading starts at the oldest kept, so
     * nothing this process flagged is skipped. Entries overwritten before they were read are skipped: reading
     * resumes at the oldest kept.
     */
    public void read(long since, String source, int limit, Page out) {
        out.clear(limit);
        long cursor = Math.max(since, 0);
        while (out.size() < limit) {
            synchronized (this) {
                long newest = next - 1;
                if (cursor > newest) { // only on the first pass: the cursor stays at or below newest after
                    cursor = 0;
                }
                cursor = Math.max(cursor, newest - capacity);
                long end = Math.min(newest, cursor + READ_SLICE);
                while (cursor < end && out.size() < limit) {
                    cursor++;
                    int i = (int) ((cursor - 1) % capacity);
                    Series s = series[i];
                    if (source == null || source.equals(s.source().name())) {
                        out.add(cursor, timeMs[i], s, detector[i], value[i], mean[i], stddev[i], zscore[i], score[i]);
                    }
                }
                out.next = cursor;
                if (cursor == newest) {
                    return;
                }
            }
        }
    }

    /** Entries copied out of the log; owned by the thread that reads into it, reused from read to read. */
    public static final class Page {
        private final long[] sequence;
        private final long[] timeMs;
        private final Series[] series;
        private final String[] detector;
        private final double[] value;
        private final double[] mean;
        private final double[] stddev;
        private final double[] zscore;
        private final double[] score;
        private int size;
        private long next;

        /** @param capacity the largest {@code limit} this page will be read with */
        public Page(int capacity) {
            sequence = new long[capacity];
            timeMs = new long[capacity];
            series = new Series[capacity];
            detector = new String[capacity];
            value = new double[capacity];
            mean = new double[capacity];
            stddev = new double[capacity];
            zscore = new double[capacity];
            score = new double[capacity];
        }

        void clear(int limit) {
            if (limit > series.length) {
                throw new IllegalArgumentException("limit=" + limit + " capacity=" + series.length);
            }
            java.util.Arrays.fill(series, 0, size, null);
            size = 0;
            next = 0;
        }

        /** Lets go of the series copied in, once they are written out. */
        public void release() {
            java.util.Arrays.fill(series, 0, size, null);
            size = 0;
        }

        void add(long seq, long t, Series s, String d, double x, double m, double sd, double z, double sc) {
            int i = size++;
            sequence[i] = seq;
            timeMs[i] = t;
            series[i] = s;
            detector[i] = d;
            value[i] = x;
            mean[i] = m;
            stddev[i] = sd;
            zscore[i] = z;
            score[i] = sc;
        }

        public int size() {
            return size;
        }

        /** The cursor to pass as {@code since} to read on. */
        public long next() {
            return next;
        }

        public long sequence(int i) {
            return sequence[i];
        }

        public long timeMs(int i) {
            return timeMs[i];
        }

        public Series series(int i) {
            return series[i];
        }

        /** The name of the detector that flagged it. */
        public String detector(int i) {
            return detector[i];
        }

        public double value(int i) {
            return value[i];
        }

        public double mean(int i) {
            return mean[i];
        }

        public double stddev(int i) {
            return stddev[i];
        }

        /** NaN when undefined. */
        public double zscore(int i) {
            return zscore[i];
        }

        public double score(int i) {
            return score[i];
        }
    }
}
