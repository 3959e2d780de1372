package dev.pulse.server.analytics;

/**
 * A stream of events (a host, a pod) and its series, one per metric.
 *
 * <p>Threading: the instance itself is the lock guarding its series' state: writers and {@code /analyze}
 * readers hold {@code synchronized (source)}. The series list is copy-on-write: it is replaced, under the
 * registry's creation lock, only when a metric is added, so lookups read it without locking.
 */
public final class Source {
    private static final Series[] NONE = new Series[0];

    private final String name;
    private final int hash;
    private volatile Series[] series = NONE; // replaced by the registry's creating thread under its lock

    Source(String name, int hash) {
        this.name = name;
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
        for (Series s : all) {
            String m = s.metric();
            if (m == metric || m.equals(metric)) {
                return s;
            }
        }
        return null;
    }

    /** Every series, in the order they were created. The array must not be modified. */
    public Series[] series() {
        return series;
    }

    public int metricCount() {
        return series.length;
    }

    /** Called under the registry's creation lock. */
    Series add(String metric, int windowSize, Detector detector) {
        Series created = new Series(this, metric, windowSize, detector);
        Series[] old = series;
        Series[] grown = java.util.Arrays.copyOf(old, old.length + 1);
        grown[old.length] = created;
        series = grown;
        return created;
    }

    boolean nameEquals(char[] chars, int offset, int length) {
        if (name.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (name.charAt(i) != chars[offset + i]) {
                return false;
            }
        }
        return true;
    }
}
