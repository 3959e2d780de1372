package dev.pulse.server.analytics;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * Every source and series the server holds, looked up by name without locking and without allocating.
 *
 * <p>Sources live in an open-addressing table keyed by their name's characters, so a decoded source name (a
 * range of a char array) is found without building a String. Creation is rare and serialised by this object's
 * lock; a new entry is published with a volatile store, so readers never see a half-built source. The table
 * never holds more than {@code maxSources} entries and is sized so probes stay short.
 */
public final class SeriesRegistry {
    /** Name of the source of events that carry none. */
    public static final String DEFAULT_SOURCE = "default";

    private final int maxSources;
    private final int maxMetricsPerSource;
    private final int windowSize;
    private final Supplier<Detector> detectors;
    private final int seed = (int) System.nanoTime() | 1; // per process, so colliding names cannot be precomputed
    private final Source defaultSource;

    private volatile AtomicReferenceArray<Source> table; // replaced on growth by the creating thread, under lock
    private volatile Source[] ordered = new Source[16];   // creation order; replaced on growth under lock
    private volatile int sourceCount;                     // written under lock after the entry is in place
    private volatile int seriesCount;                     // written under lock

    public SeriesRegistry(int maxSources, int maxMetricsPerSource, int windowSize, Supplier<Detector> detectors) {
        this.maxSources = maxSources;
        this.maxMetricsPerSource = maxMetricsPerSource;
        this.windowSize = windowSize;
        this.detectors = detectors;
        this.table = new AtomicReferenceArray<>(64);
        char[] name = DEFAULT_SOURCE.toCharArray();
        this.defaultSource = new Source(DEFAULT_SOURCE, hash(name, 0, name.length));
    }

    public int maxSources() {
        return maxSources;
    }

    public int maxMetricsPerSource() {
        return maxMetricsPerSource;
    }

    public int windowSize() {
        return windowSize;
    }

    /** Sources held (the default source counts once it has a series). */
    public int sourceCount() {
        return sourceCount;
    }

    public int seriesCount() {
        return seriesCount;
    }

    /** The source named by {@code chars[offset, offset+length)}, or null. Lock-free, allocation-free. */
    public Source find(char[] chars, int offset, int length) {
        int h = hash(chars, offset, length);
        AtomicReferenceArray<Source> t = table;
        int mask = t.length() - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            Source s = t.get(i);
            if (s == null) {
                return null;
            }
            if (s.hash() == h && s.nameEquals(chars, offset, length)) {
                return s;
            }
        }
    }

    public Source find(String name) {
        char[] chars = name.toCharArray();
        return find(chars, 0, chars.length);
    }

    /** Sources in creation order: a snapshot, safe to iterate while others create. */
    public Source[] sources() {
        int n = sourceCount;
        return java.util.Arrays.copyOf(ordered, n);
    }

    /** Visits sources in creation order without copying; stops when the visitor returns false. */
    public void forEachSource(java.util.function.Predicate<Source> visitor) {
        int n = sourceCount;
        Source[] all = ordered;
        for (int i = 0; i < n; i++) {
            if (!visitor.test(all[i])) {
                return;
            }
        }
    }

    /**
     * Finds or creates the series of ({@code source}, {@code metric}) for a warm restart, within the limits; returns
     * null when a limit would be passed or a name breaks the contract's rules. The caller then replays history into
     * it under {@code synchronized (series.source())}.
     */
    public Series restore(String source, String metric) {
        if (!dev.pulse.protocol.event.Names.isValidSource(source) || !dev.pulse.protocol.event.Names.isValidAnyMetric(metric)) {
            return null;
        }
        synchronized (creationLock()) {
            Source s = find(source);
            if (s == null) {
                if (sourceCount >= maxSources) {
                    return null;
                }
                s = getOrCreate(source);
            }
            if (s.find(metric) == null && s.metricCount() >= maxMetricsPerSource) {
                return null;
            }
            return getOrCreate(s, metric);
        }
    }

    /** The lock under which new sources and series are created, so a request's limit check and creation are one step. */
    Object creationLock() {
        return this;
    }

    /** Finds or creates a source. Must hold {@link #creationLock()}; the caller has checked the limits. */
    Source getOrCreate(String name) {
        char[] chars = name.toCharArray();
        Source s = find(chars, 0, chars.length);
        if (s != null) {
            return s;
        }
        s = name.equals(DEFAULT_SOURCE) ? defaultSource : new Source(name, hash(chars, 0, chars.length));
        insert(s);
        return s;
    }

    /** Finds or creates {@code metric}'s series in {@code source}. Must hold {@link #creationLock()}. */
    Series getOrCreate(Source source, String metric) {
        Series s = source.find(metric);
        if (s == null) {
            s = source.add(metric, windowSize, detectors.get());
            seriesCount = seriesCount + 1;
        }
        return s;
    }

    private void insert(Source s) {
        AtomicReferenceArray<Source> t = table;
        if ((sourceCount + 1) * 2 > t.length()) {
            t = rehash(t, t.length() * 2);
            table = t;
        }
        put(t, s);
        int n = sourceCount;
        Source[] all = ordered;
        if (n == all.length) {
            all = java.util.Arrays.copyOf(all, n * 2);
            all[n] = s;
            ordered = all;
        } else {
            all[n] = s;
        }
        sourceCount = n + 1;
    }

    private static AtomicReferenceArray<Source> rehash(AtomicReferenceArray<Source> old, int capacity) {
        AtomicReferenceArray<Source> t = new AtomicReferenceArray<>(capacity);
        for (int i = 0; i < old.length(); i++) {
            Source s = old.get(i);
            if (s != null) {
                put(t, s);
            }
        }
        return t;
    }

    private static void put(AtomicReferenceArray<Source> t, Source s) {
        int mask = t.length() - 1;
        int i = s.hash() & mask;
        while (t.get(i) != null) {
            i = (i + 1) & mask;
        }
        t.set(i, s);
    }

    private int hash(char[] chars, int offset, int length) {
        int h = seed;
        for (int i = offset, end = offset + length; i < end; i++) {
            h = (h ^ chars[i]) * 0x9E3779B1;
        }
        return h ^ (h >>> 16);
    }
}
