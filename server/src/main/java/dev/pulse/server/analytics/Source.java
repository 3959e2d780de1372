package dev.pulse.server.analytics;

/**
 * A stream of events (a host, a pod) and its series, one per metric.
 *
 * <p>Threading: the instance itself is the lock guarding its series' state: writers and {@code /analyze}
 * readers hold {@code synchronized (source)}. The series list is copy-on-write: it is replaced, under the
 * registry's creation lock, only when a metric is added or a series removed, so lookups read it without locking.
 * A source left without series is {@linkplain #retired() retired} and leaves the registry; a new source of the same
 * name is another object.
 */
public final class Source {
    private static final Series[] NONE = new Series[0];
    private static final String[] NO_NAMES = new String[0];

    private final String name;
    private final char[] chars; // the name's characters, compared with a decoded name without String's checks
    private final int hash;
    private volatile Series[] series = NONE;      // replaced by the registry's creating thread under its lock
    private volatile String[] ignored = NO_NAMES; // metrics a rule ignores; replaced under the creation lock
    private volatile boolean retired;             // set once under this lock and the creation lock
    private long keysRefreshedMs;                 // owned by the Redis writer thread: when it last set the hash's expiry
    private long snapshotMs;                      // owned by the Redis writer thread (the restore sets it first)

    Source(String name, int hash) {
        this.name = name;
        this.chars = name.toCharArray();
        this.hash = hash;
    }

    public String name() {
        return name;
    }

    int hash() {
        return hash;
    }

    /** The series of {@code metric}, or null. Lock-free. */
    public Series find(String metric) {
        Series[] all = series;
        for (Series s : all) { // the decoder's names are interned: most lookups end here, without comparing text
            if (s.metric() == metric) {
                return s;
            }
        }
        for (Series s : all) {
            if (s.metric().equals(metric)) {
                return s;
            }
        }
        return null;
    }

    /** Whether a rule made this source ignore {@code metric}'s values. Lock-free. */
    public boolean ignores(String metric) {
        for (String m : ignored) {
            if (m == metric || m.equals(metric)) {
                return true;
            }
        }
        return false;
    }

    /** Every series, in the order they were created. The array must not be modified. */
    public Series[] series() {
        return series;
    }

    public int metricCount() {
        return series.length;
    }

    /** Metric names held, series and ignored ones: what {@code MAX_METRICS_PER_SOURCE} bounds. */
    int namesHeld() {
        return series.length + ignored.length;
    }

    /** Whether the source was forgotten (expired or deleted): it is out of the registry and holds no series. */
    public boolean retired() {
        return retired;
    }

    /** When the Redis writer last set the expiry of this source's hash. Redis writer thread only. */
    public long keysRefreshedMs() {
        return keysRefreshedMs;
    }

    public void keysRefreshedMs(long epochMillis) {
        keysRefreshedMs = epochMillis;
    }

    /**
     * The {@code updated_ms} this process last wrote in the source's hash, or found there when it restored the
     * source: a later one was written by another replica. Redis writer thread only (the restore, before it starts).
     */
    public long snapshotMs() {
        return snapshotMs;
    }

    public void snapshotMs(long epochMillis) {
        snapshotMs = epochMillis;
    }

    /** Called under the registry's creation lock. */
    Series add(String metric, SeriesSpec spec) {
        Series created = new Series(this, metric, spec);
        Series[] old = series;
        Series[] grown = java.util.Arrays.copyOf(old, old.length + 1);
        grown[old.length] = created;
        series = grown;
        return created;
    }

    /** Called under the registry's creation lock. */
    void ignore(String metric) {
        String[] old = ignored;
        String[] grown = java.util.Arrays.copyOf(old, old.length + 1);
        grown[old.length] = metric;
        ignored = grown;
    }

    /**
     * Retires the series {@code doomed} accepts and removes them from the list; returns them. Called under this
     * lock and the registry's creation lock.
     */
    Series[] retireSeries(java.util.function.Predicate<Series> doomed) {
        Series[] all = series;
        int kept = 0;
        Series[] gone = new Series[all.length];
        Series[] keep = new Series[all.length];
        int n = 0;
        for (Series s : all) {
            if (doomed.test(s)) {
                s.retire();
                gone[n++] = s;
            } else {
                keep[kept++] = s;
            }
        }
        if (n > 0) {
            series = kept == 0 ? NONE : java.util.Arrays.copyOf(keep, kept);
        }
        return java.util.Arrays.copyOf(gone, n);
    }

    /** Called under this lock and the registry's creation lock, once the source holds no series. */
    void retire() {
        retired = true;
        ignored = NO_NAMES;
    }

    boolean nameEquals(char[] text, int offset, int length) {
        char[] own = chars;
        if (own.length != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (own[i] != text[offset + i]) {
                return false;
            }
        }
        return true;
    }
}
