package dev.pulse.server.analytics;

import dev.pulse.protocol.event.EventBatch;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Applies a decoded {@link EventBatch} to the {@link SeriesRegistry}, all or nothing.
 *
 * <p>Three steps: resolve every event's source and series without locking; if some are new, check the
 * {@code MAX_SOURCES}, {@code MAX_METRICS_PER_SOURCE} and {@code MAX_SERIES} limits for the whole request and create them under the
 * registry's creation lock (refusing the request, with nothing created, when a limit would be passed); then
 * observe the values in request order, holding each source's lock for a run of consecutive events of that source.
 * Concurrent requests on one source therefore serialise on its lock and never interleave within an event.
 *
 * <p>Steady state (no new names) allocates nothing. Not thread-safe: one instance per event loop.
 */
public final class BatchApplier {
    /** What a {@link #apply} call did. */
    public enum Result { APPLIED, LIMIT_EXCEEDED, OVERLOADED }

    private final SeriesRegistry registry;
    private final Anomalies anomalies = new Anomalies();
    private final BatchListener listener;
    private final AnomalySink flagged;

    /** Slots of {@link #recent}: a power of two, a few times the sources one client's batch usually names. */
    private static final int RECENT = 32;

    // All fields below: owned by this applier's event loop.
    private final Source[] recent = new Source[RECENT]; // sources found lately, by their name's length and last char
    private Source[] eventSources = new Source[16];
    private Series[] metricSeries = new Series[64];
    private String limitMessage;
    private int limitIndex;

    public BatchApplier(SeriesRegistry registry, BatchListener listener) {
        this(registry, listener, AnomalySink.NONE);
    }

    /** @param flagged told of each anomaly once the batch is applied, before the listener hears of its values */
    public BatchApplier(SeriesRegistry registry, BatchListener listener, AnomalySink flagged) {
        this.registry = registry;
        this.listener = listener;
        this.flagged = flagged;
    }

    public Anomalies anomalies() {
        return anomalies;
    }

    public String limitMessage() {
        return limitMessage;
    }

    public int limitIndex() {
        return limitIndex;
    }

    /**
     * Applies {@code batch}; events without a timestamp get {@code nowSeconds}. On {@link Result#LIMIT_EXCEEDED}
     * nothing was applied or created and {@link #limitMessage()} / {@link #limitIndex()} say why; on
     * {@link Result#OVERLOADED} the listener had no room for the values and nothing was applied or created either.
     */
    public Result apply(EventBatch batch, double nowSeconds) {
        anomalies.clear();
        int events = batch.size();
        if (!listener.reserve(batch.metricTotal())) {
            return Result.OVERLOADED;
        }
        ensureCapacity(events, batch.metricTotal());
        if (!resolve(batch) && !create(batch)) {
            Arrays.fill(eventSources, 0, events, null);
            Arrays.fill(metricSeries, 0, batch.metricTotal(), null);
            listener.release(batch.metricTotal());
            return Result.LIMIT_EXCEEDED;
        }
        observe(batch, nowSeconds);
        tellFlagged(batch, nowSeconds);
        listener.applied(batch, eventSources, metricSeries, nowSeconds);
        Arrays.fill(eventSources, 0, events, null);
        Arrays.fill(metricSeries, 0, batch.metricTotal(), null);
        return Result.APPLIED;
    }

    /**
     * Fills the scratch arrays from what exists; returns false when some source or series is new. A metric a rule
     * ignores resolves to a null series.
     */
    private boolean resolve(EventBatch batch) {
        boolean complete = true;
        char[] chars = batch.sourceChars();
        for (int e = 0, n = batch.size(); e < n; e++) {
            int len = batch.sourceLength(e);
            Source src = len == EventBatch.DEFAULT_SOURCE
                    ? source(DEFAULT_NAME, 0, DEFAULT_NAME.length)
                    : source(chars, batch.sourceOffset(e), len);
            eventSources[e] = src;
            for (int m = batch.metricStart(e), end = m + batch.metricCount(e); m < end; m++) {
                Series s = src == null ? null : src.find(batch.metricName(m));
                metricSeries[m] = s;
                complete &= s != null || src != null && src.ignores(batch.metricName(m));
            }
            complete &= src != null;
        }
        return complete;
    }

    private static final char[] DEFAULT_NAME = SeriesRegistry.DEFAULT_SOURCE.toCharArray();

    /**
     * The live source named {@code chars[offset, offset+length)}, or null: first among the sources this applier
     * found lately (one compare of the name, where the registry hashes it and probes its table), else from the
     * registry. A retired source is never given: what it was retired for is seen again under its lock.
     */
    private Source source(char[] chars, int offset, int length) {
        int slot = (length * 7 + chars[offset + length - 1]) & (RECENT - 1);
        Source src = recent[slot];
        if (src != null && src.nameEquals(chars, offset, length) && !src.retired()) {
            return src;
        }
        src = registry.find(chars, offset, length);
        recent[slot] = src;
        return src;
    }

    /**
     * Checks the limits ({@code MAX_SOURCES}, {@code MAX_METRICS_PER_SOURCE}, {@code MAX_SERIES}) for the whole
     * request, then creates what is new. The slow path: it may allocate.
     */
    private boolean create(EventBatch batch) {
        synchronized (registry.creationLock()) {
            Map<String, Set<String>> newMetrics = new HashMap<>();
            int newSources = 0;
            int newSeries = 0;
            for (int e = 0, n = batch.size(); e < n; e++) {
                String name = batch.sourceName(e);
                Source src = registry.find(name);
                Set<String> added = newMetrics.get(name);
                if (added == null) {
                    if (src == null && registry.sourceCount() + newSources + 1 > registry.maxSources()) {
                        return refuse(e, "the limit of " + registry.maxSources() + " sources (MAX_SOURCES) would be passed");
                    }
                    added = new HashSet<>();
                    newMetrics.put(name, added);
                    if (src == null) {
                        newSources++;
                    }
                }
                int held = src == null ? 0 : src.namesHeld();
                for (int m = batch.metricStart(e), end = m + batch.metricCount(e); m < end; m++) {
                    String metric = batch.metricName(m);
                    if ((src == null || src.find(metric) == null && !src.ignores(metric)) && added.add(metric)) {
                        if (held + added.size() > registry.maxMetricsPerSource()) {
                            return refuse(e, "source \"" + name + "\" would pass the limit of "
                                    + registry.maxMetricsPerSource() + " metrics (MAX_METRICS_PER_SOURCE)");
                        }
                        if (registry.specFor(name, metric) != null
                                && registry.seriesCount() + ++newSeries > registry.maxSeries()) {
                            return refuse(e, "the limit of " + registry.maxSeries() + " series (MAX_SERIES) would be passed");
                        }
                    }
                }
            }
            for (int e = 0, n = batch.size(); e < n; e++) {
                Source src = registry.getOrCreate(batch.sourceName(e));
                eventSources[e] = src;
                for (int m = batch.metricStart(e), end = m + batch.metricCount(e); m < end; m++) {
                    metricSeries[m] = registry.getOrCreate(src, batch.metricName(m));
                }
            }
            return true;
        }
    }

    private boolean refuse(int event, String message) {
        limitIndex = event;
        limitMessage = message;
        return false;
    }

    /**
     * Observes the values in request order under each source's lock. A series retired (expired or deleted) after
     * it was resolved is seen here, under the lock: the rest of the request is resolved anew and the value lands in
     * the live series of that name, so no accepted value is lost to a concurrent expiry.
     */
    private void observe(EventBatch batch, double nowSeconds) {
        Source[] sources = eventSources;
        Series[] series = metricSeries;
        long nowMillis = (long) (nowSeconds * 1000);
        int n = batch.size();
        int e = 0;
        while (e < n) {
            Source src = sources[e];
            boolean stale = false;
            synchronized (src) {
                do {
                    if (retiredIn(batch, e)) {
                        stale = true;
                        break;
                    }
                    double ts = batch.timestamp(e);
                    if (ts != ts) {
                        ts = nowSeconds;
                    }
                    for (int m = batch.metricStart(e), end = m + batch.metricCount(e); m < end; m++) {
                        Series s = series[m];
                        if (s == null) {
                            continue; // a rule ignores this metric
                        }
                        double x = batch.metricValue(m);
                        s.touch(nowMillis);
                        if (s.observe(x, ts)) {
                            anomalies.add(e, s, x, s.meanBefore(), s.stddevBefore(), s.lastZscore(), s.lastScore());
                        }
                    }
                    e++;
                } while (e < n && sources[e] == src);
            }
            if (stale) {
                revive(batch, e);
            }
        }
    }

    /** Whether a series of event {@code e} was retired since it was resolved. Holds the event's source lock. */
    private boolean retiredIn(EventBatch batch, int e) {
        Series[] series = metricSeries;
        for (int m = batch.metricStart(e), end = m + batch.metricCount(e); m < end; m++) {
            Series s = series[m];
            if (s != null && s.retired()) {
                return true;
            }
        }
        return eventSources[e].retired();
    }

    /** Resolves events {@code from} onwards again, replacing retired sources and series by live ones. Rare. */
    private void revive(EventBatch batch, int from) {
        for (int e = from, n = batch.size(); e < n; e++) {
            Source src = eventSources[e];
            for (int m = batch.metricStart(e), end = m + batch.metricCount(e); m < end; m++) {
                Series s = metricSeries[m];
                if (s != null && s.retired() || src.retired()) {
                    metricSeries[m] = registry.revive(batch.sourceName(e), batch.metricName(m));
                }
            }
            if (src.retired()) {
                Series any = null;
                for (int m = batch.metricStart(e), end = m + batch.metricCount(e); m < end && any == null; m++) {
                    any = metricSeries[m];
                }
                eventSources[e] = any != null ? any.source() : registry.reviveSource(batch.sourceName(e));
            }
        }
    }

    /** Before the write-behind queue gets the values, so its writer finds their anomalies already logged. */
    private void tellFlagged(EventBatch batch, double nowSeconds) {
        Anomalies a = anomalies;
        for (int i = 0, n = a.size(); i < n; i++) {
            double ts = batch.timestamp(a.eventIndex(i));
            flagged.flagged(a.series(i), ts != ts ? nowSeconds : ts, a.value(i), a.mean(i), a.stddev(i), a.zscore(i),
                    a.score(i));
        }
    }

    private void ensureCapacity(int events, int metrics) {
        if (eventSources.length < events) {
            eventSources = new Source[Math.max(events, eventSources.length * 2)];
        }
        if (metricSeries.length < metrics) {
            metricSeries = new Series[Math.max(metrics, metricSeries.length * 2)];
        }
    }
}
