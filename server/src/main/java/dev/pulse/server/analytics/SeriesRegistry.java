package dev.pulse.server.analytics;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Every source and series the server holds, looked up by name without locking and without allocating.
 *
 * <p>Sources are found in a {@link SourceTable} by their name's characters, so a decoded source name (a range of a
 * char array) is found without building a String. Creation and removal are rare and serialised by the creation lock.
 *
 * <p>Forgetting: {@link #expireIdle} (the sweeper thread) and {@link #delete} retire series under the creation lock
 * and their source's lock, then take them out; a source left without series goes too, and its place under
 * {@code MAX_SOURCES} is free at once. A writer that resolved a series before it was retired sees the flag under
 * the source's lock and resolves it anew ({@link #revive}), so no value is lost to a concurrent expiry.
 */
public final class SeriesRegistry {
    /** Name of the source of events that carry none. */
    public static final String DEFAULT_SOURCE = "default";

    private final int maxSources;
    private final int maxMetricsPerSource;
    private final int maxSeries;
    private final SourceTable table = new SourceTable();
    private final CopyOnWriteArrayList<ForgetListener> forgetListeners = new CopyOnWriteArrayList<>();

    private volatile SeriesPolicy policy;                 // replaced under the creation lock (rules reloaded)
    private volatile Source[] ordered = new Source[16];   // creation order, null after the last; written under lock
    // Slots of ordered in use; written under the creation lock after the slot, so a reader that reads it first (a
    // volatile read) sees every source below it fully made, where a slot read alone would be a racy publication.
    private volatile int orderedSize;
    private volatile int sourceCount;                     // written under lock
    private volatile int seriesCount;                     // written under lock
    private volatile long expiredTotal;                   // written under lock

    public SeriesRegistry(int maxSources, int maxMetricsPerSource, int maxSeries, SeriesPolicy policy) {
        this.maxSources = maxSources;
        this.maxMetricsPerSource = maxMetricsPerSource;
        this.maxSeries = maxSeries;
        this.policy = policy;
    }

    /** Every series with the same window and detector, no bound on the total of series. */
    public SeriesRegistry(int maxSources, int maxMetricsPerSource, int windowSize, Supplier<Detector> detectors) {
        this(maxSources, maxMetricsPerSource, Integer.MAX_VALUE, uniform(windowSize, detectors));
    }

    private static SeriesPolicy uniform(int windowSize, Supplier<Detector> detectors) {
        SeriesSpec spec = new SeriesSpec(null, "", windowSize, Double.NaN, 0, detectors);
        return (source, metric) -> spec;
    }

    public int maxSources() {
        return maxSources;
    }

    public int maxMetricsPerSource() {
        return maxMetricsPerSource;
    }

    public int maxSeries() {
        return maxSeries;
    }

    /** Sources held (the default source counts once it has a series). */
    public int sourceCount() {
        return sourceCount;
    }

    public int seriesCount() {
        return seriesCount;
    }

    /** Series forgotten because they were idle for the configured time, since start. */
    public long expiredTotal() {
        return expiredTotal;
    }

    /** Replaces the settings of series created from now on; those that exist keep theirs. */
    public void policy(SeriesPolicy next) {
        synchronized (creationLock()) {
            policy = next;
        }
    }

    public void addForgetListener(ForgetListener l) {
        forgetListeners.add(l);
    }

    /** The source named by {@code chars[offset, offset+length)}, or null. Lock-free, allocation-free. */
    public Source find(char[] chars, int offset, int length) {
        return table.find(chars, offset, length);
    }

    public Source find(String name) {
        char[] chars = name.toCharArray();
        return find(chars, 0, chars.length);
    }

    /** Sources in creation order: a snapshot, safe to iterate while others create. */
    public Source[] sources() {
        java.util.ArrayList<Source> out = new java.util.ArrayList<>();
        forEachSource(s -> out.add(s));
        return out.toArray(new Source[0]);
    }

    /**
     * Visits sources in creation order without copying; stops when the visitor returns false. A source retired
     * while the visit runs may still be visited, holding no series.
     */
    public void forEachSource(Predicate<Source> visitor) {
        int n = orderedSize;
        Source[] all = ordered;
        for (int i = 0; i < n && i < all.length; i++) {
            Source s = all[i];
            if (s == null) {
                return;
            }
            if (!s.retired() && !visitor.test(s)) {
                return;
            }
        }
    }

    /**
     * Finds or creates the series of ({@code source}, {@code metric}) for a warm restart, within the limits; returns
     * null when a limit would be passed, a rule ignores the metric, or a name breaks the contract's rules. The caller
     * then replays history into it under {@code synchronized (series.source())}.
     */
    public Series restore(String source, String metric) {
        if (!dev.pulse.protocol.event.Names.isValidSource(source) || !dev.pulse.protocol.event.Names.isValidAnyMetric(metric)) {
            return null;
        }
        synchronized (creationLock()) {
            Source s = find(source);
            if (s == null && sourceCount >= maxSources) {
                return null;
            }
            if (s != null) {
                Series held = s.find(metric);
                if (held != null) {
                    return held;
                }
                if (s.namesHeld() >= maxMetricsPerSource) {
                    return null;
                }
            }
            if (seriesCount >= maxSeries || policy.specFor(source, metric) == null) {
                return null;
            }
            return getOrCreate(getOrCreate(source), metric);
        }
    }

    /** The lock under which sources and series are created and removed, so a limit check and creation are one step. */
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
        s = new Source(name, table.hash(chars, 0, chars.length));
        insert(s);
        return s;
    }

    /** The settings a new series of ({@code source}, {@code metric}) would get; null when its values are ignored. */
    SeriesSpec specFor(String source, String metric) {
        return policy.specFor(source, metric);
    }

    /**
     * Finds or creates {@code metric}'s series in {@code source}; null when a rule ignores the metric (the source
     * then remembers that). Must hold {@link #creationLock()}; the caller has checked the limits.
     */
    Series getOrCreate(Source source, String metric) {
        Series s = source.find(metric);
        if (s == null && !source.ignores(metric)) {
            SeriesSpec spec = policy.specFor(source.name(), metric);
            if (spec == null) {
                source.ignore(metric);
                return null;
            }
            s = source.add(metric, spec);
            seriesCount = seriesCount + 1;
        }
        return s;
    }

    /**
     * The live series of ({@code source}, {@code metric}), created when needed without checking the limits: for a
     * value whose series was retired after the request was judged, which must land somewhere. Null when a rule
     * ignores the metric. Takes the creation lock.
     */
    Series revive(String source, String metric) {
        synchronized (creationLock()) {
            return getOrCreate(getOrCreate(source), metric);
        }
    }

    /** The live source named {@code source}, created when needed without checking the limits (see {@link #revive}). */
    Source reviveSource(String source) {
        synchronized (creationLock()) {
            return getOrCreate(source);
        }
    }

    /**
     * Forgets every series whose last value was received before {@code cutoffMillis}, then the sources left without
     * series; returns how many series went. The scan reads the write times without locks; each source with a
     * candidate is then decided under the locks, so a series written meanwhile stays.
     */
    public int expireIdle(long cutoffMillis) {
        int expired = 0;
        boolean sourcesGone = false;
        int size = orderedSize;
        Source[] all = ordered;
        for (int i = 0; i < size && i < all.length; i++) {
            Source src = all[i];
            if (src == null) {
                break;
            }
            if (!hasIdle(src, cutoffMillis)) {
                continue;
            }
            synchronized (creationLock()) {
                if (src.retired()) {
                    continue;
                }
                int n = forget(src, s -> s.lastWriteMs() < cutoffMillis, false);
                expired += n;
                expiredTotal = expiredTotal + n;
                sourcesGone |= src.retired();
            }
        }
        if (sourcesGone) {
            synchronized (creationLock()) {
                compactOrdered();
            }
        }
        return expired;
    }

    private static boolean hasIdle(Source src, long cutoffMillis) {
        Series[] all = src.series();
        if (all.length == 0) {
            return true; // only ignored metrics: nothing to keep
        }
        for (Series s : all) {
            if (s.lastWriteMs() < cutoffMillis) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code DELETE /series}: forgets {@code metric}'s series of {@code source}, or all its series when
     * {@code metric} is null; returns how many went (0: no such source or series).
     */
    public int delete(String source, String metric) {
        synchronized (creationLock()) {
            Source src = find(source);
            if (src == null) {
                return 0;
            }
            int n = forget(src, metric == null ? s -> true : s -> s.metric().equals(metric), true);
            if (src.retired()) {
                compactOrdered();
            }
            return n;
        }
    }

    /** Retires the series {@code doomed} accepts, and the source if none is left; tells the listeners. Holds the lock. */
    private int forget(Source src, Predicate<Series> doomed, boolean deleted) {
        Series[] gone;
        boolean empty;
        synchronized (src) {
            gone = src.retireSeries(doomed);
            empty = src.metricCount() == 0;
            if (empty) {
                src.retire();
            }
        }
        if (empty) {
            unlink(src);
        }
        seriesCount = seriesCount - gone.length;
        if (gone.length > 0 || empty) {
            for (ForgetListener l : forgetListeners) {
                l.forgotten(src, gone, empty, deleted);
            }
        }
        return gone.length;
    }

    private void insert(Source s) {
        int live = sourceCount;
        table.add(s, live);
        Source[] all = ordered;
        int n = orderedSize;
        if (n == all.length) {
            all = java.util.Arrays.copyOf(all, n * 2);
            all[n] = s;
            ordered = all;
        } else {
            all[n] = s;
        }
        orderedSize = n + 1;
        sourceCount = live + 1;
    }

    /** Takes a source out of the table. Holds the creation lock. */
    private void unlink(Source s) {
        table.remove(s);
        sourceCount = sourceCount - 1;
    }

    /** Publishes a creation-order array without the retired sources. Holds the creation lock. */
    private void compactOrdered() {
        Source[] all = ordered;
        Source[] kept = new Source[Math.max(16, Integer.highestOneBit(Math.max(1, sourceCount)) * 2)];
        int n = 0;
        for (int i = 0; i < orderedSize; i++) {
            if (!all[i].retired()) {
                kept[n++] = all[i];
            }
        }
        orderedSize = n;
        ordered = kept;
    }
}
