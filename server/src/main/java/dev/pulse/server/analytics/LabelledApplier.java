package dev.pulse.server.analytics;

import dev.pulse.protocol.labelled.LabelledBatch;
import dev.pulse.protocol.labelled.SeriesNaming;
import dev.pulse.protocol.labelled.Skip;

import java.util.Arrays;

/**
 * Applies a decoded {@link LabelledBatch} (remote write, OTLP) to the {@link SeriesRegistry}, sample by sample:
 * unlike {@code /metrics-data}, a sample that cannot be applied is skipped and counted ({@link #skipped}) and the
 * rest goes on.
 *
 * <p>Per sample: not later than the last accepted for its series, skipped ({@link Skip#OUT_OF_ORDER}: a retried
 * batch is not counted twice); a cumulative counter's value becomes its per-second increase since the previous one
 * (the first value and a decrease only prime; an increase past a double's range in its interval is {@link Skip#NAN});
 * every other value is observed as it is.
 *
 * <p>A series is found by its bytes in a per-loop cache, so a known series costs no String and no registry lookup;
 * a new one is named by the contract's mapping ({@link SeriesNaming}) and created within {@code MAX_SOURCES},
 * {@code MAX_METRICS_PER_SOURCE} and {@code MAX_SERIES} (a refusal is {@link Skip#LIMIT}; a metric a rule ignores is
 * {@link Skip#IGNORED}). A series that expired or was deleted is found anew, in the cache and under its source's
 * lock, so a sample racing its expiry lands in the live series. The cache holds at most
 * {@code cacheCapacity / 2} entries and is emptied when full.
 *
 * <p>Steady state allocates nothing. Not thread-safe: one instance per event loop.
 */
public final class LabelledApplier {
    /** What an {@link #apply} call did. */
    public enum Result { APPLIED, OVERLOADED }

    private final SeriesRegistry registry;
    private final BatchListener listener;
    private final AnomalySink flagged;
    private final SeriesNaming naming;
    private final Anomalies anomalies = new Anomalies();
    private final int[] skipped = new int[Skip.values().length];

    // All fields below: owned by this applier's event loop.
    private Series[] resolved = new Series[64];
    private double[] anomalyTimes = new double[16]; // the timestamp of each entry of anomalies
    private Skip lastRefusal = Skip.BAD_NAME;        // why the last resolve() returned null
    private Series[] outSeries = new Series[256];
    private double[] outValues = new double[256];
    private double[] outTimes = new double[256];
    private int applied;
    private long nowMillis;                          // receive time of the batch being applied
    private final int[] cacheHash;
    private final byte[][] cacheKey;
    private final Series[] cacheSeries;
    private int cacheUsed;

    /** @param flagged told of each anomaly once the batch is applied, before the listener hears of its values */
    public LabelledApplier(SeriesRegistry registry, BatchListener listener, AnomalySink flagged, SeriesNaming naming,
                           int cacheCapacity) {
        this.registry = registry;
        this.listener = listener;
        this.flagged = flagged;
        this.naming = naming;
        int capacity = Integer.highestOneBit(Math.max(16, cacheCapacity - 1)) << 1;
        this.cacheHash = new int[capacity];
        this.cacheKey = new byte[capacity][];
        this.cacheSeries = new Series[capacity];
    }

    /** Samples skipped by the last {@link #apply} for {@code reason}, the decoder's refusals included. */
    public int skipped(Skip reason) {
        return skipped[reason.ordinal()];
    }

    public int skippedTotal() {
        int n = 0;
        for (int c : skipped) {
            n += c;
        }
        return n;
    }

    /** Values the last {@link #apply} observed (a counter's priming sample is accepted but observes nothing). */
    public int applied() {
        return applied;
    }

    /** What the last {@link #apply} flagged; the event index is the series' index in the batch. */
    public Anomalies anomalies() {
        return anomalies;
    }

    /**
     * Applies {@code batch}. {@link Result#OVERLOADED}: the listener had no room for its samples and nothing was
     * applied or created.
     */
    public Result apply(LabelledBatch batch, long nowMillis) {
        anomalies.clear();
        applied = 0;
        this.nowMillis = nowMillis;
        for (Skip reason : Skip.values()) {
            skipped[reason.ordinal()] = batch.skipped(reason);
        }
        int samples = batch.sampleCount();
        if (!listener.reserve(samples)) {
            return Result.OVERLOADED;
        }
        int n = batch.seriesCount();
        if (resolved.length < n) {
            resolved = new Series[Math.max(n, resolved.length * 2)];
        }
        if (outSeries.length < samples) {
            int size = Math.max(samples, outSeries.length * 2);
            outSeries = new Series[size];
            outValues = new double[size];
            outTimes = new double[size];
        }
        for (int s = 0; s < n; s++) {
            Series series = resolve(batch, s);
            resolved[s] = series;
            if (series == null) {
                skipped[lastRefusal.ordinal()] += batch.sampleEnd(s) - batch.sampleStart(s);
            }
        }
        observe(batch, n);
        Anomalies a = anomalies;
        for (int i = 0; i < a.size(); i++) {
            flagged.flagged(a.series(i), anomalyTimes[i], a.value(i), a.mean(i), a.stddev(i), a.zscore(i), a.score(i));
        }
        listener.valuesApplied(outSeries, outValues, outTimes, applied);
        if (samples > applied) {
            listener.release(samples - applied);
        }
        Arrays.fill(resolved, 0, n, null);
        Arrays.fill(outSeries, 0, applied, null);
        return Result.APPLIED;
    }

    private void observe(LabelledBatch batch, int n) {
        Series[] series = resolved;
        int s = 0;
        while (s < n) {
            Series first = series[s];
            if (first == null) {
                s++;
                continue;
            }
            Source src = first.source();
            boolean stale = false;
            synchronized (src) {
                do {
                    Series x = series[s];
                    if (x != null) {
                        if (x.retired()) { // expired or deleted since it was resolved: find or make the live one
                            stale = true;
                            break;
                        }
                        observeSeries(batch, s, x);
                    }
                    s++;
                } while (s < n && (series[s] == null || series[s].source() == src));
            }
            if (stale) {
                Series old = series[s];
                series[s] = registry.revive(old.source().name(), old.metric());
            }
        }
    }

    /** Observes the samples of batch series {@code s}. Holds its source's lock. */
    private void observeSeries(LabelledBatch batch, int s, Series series) {
        byte kind = batch.kind(s);
        series.kind(kind == LabelledBatch.VALUE ? Series.VALUE : Series.RATE);
        series.touch(nowMillis);
        for (int i = batch.sampleStart(s), end = batch.sampleEnd(s); i < end; i++) {
            double ts = batch.time(i) / 1000.0;
            if (!series.isLater(ts)) {
                skipped[Skip.OUT_OF_ORDER.ordinal()]++;
                continue;
            }
            double x = batch.value(i);
            if (kind == LabelledBatch.CUMULATIVE) {
                x = series.counterRate(x, ts);
                if (x != x) {
                    continue; // the first sample, or a reset: it primes the next
                }
                if (Double.isInfinite(x)) { // a jump past a double's range in its interval: no number to judge
                    skipped[Skip.NAN.ordinal()]++;
                    continue;
                }
            }
            if (series.observe(x, ts)) {
                int k = anomalies.size();
                if (k == anomalyTimes.length) {
                    anomalyTimes = Arrays.copyOf(anomalyTimes, k * 2);
                }
                anomalyTimes[k] = ts;
                anomalies.add(s, series, x, series.meanBefore(), series.stddevBefore(), series.lastZscore(),
                        series.lastScore());
            }
            int k = applied++;
            outSeries[k] = series;
            outValues[k] = x;
            outTimes[k] = ts;
        }
    }

    // ---- finding series ----

    /** The series batch series {@code s} maps to, or null (see {@link #lastRefusal}). */
    private Series resolve(LabelledBatch batch, int s) {
        int h = batch.keyHash(s);
        int mask = cacheKey.length - 1;
        int i = h & mask;
        for (byte[] k; (k = cacheKey[i]) != null; i = (i + 1) & mask) {
            if (cacheHash[i] == h && batch.keyEquals(s, k)) {
                Series cached = cacheSeries[i];
                if (cached.retired()) { // expired or deleted: the live series of that name, if it may exist
                    cached = create(batch, s);
                    if (cached != null) {
                        cacheSeries[i] = cached;
                    }
                }
                return cached;
            }
        }
        Series found = create(batch, s);
        if (found != null) {
            if (cacheUsed * 2 >= cacheKey.length) {
                Arrays.fill(cacheKey, null);
                Arrays.fill(cacheSeries, null);
                cacheUsed = 0;
                i = h & mask;
                while (cacheKey[i] != null) {
                    i = (i + 1) & mask;
                }
            }
            cacheHash[i] = h;
            cacheKey[i] = batch.key(s);
            cacheSeries[i] = found;
            cacheUsed++;
        }
        return found;
    }

    /** Names and finds or creates the series of batch series {@code s}: the slow path, it allocates. */
    private Series create(LabelledBatch batch, int s) {
        if (!naming.name(batch, s)) {
            lastRefusal = Skip.BAD_NAME;
            return null;
        }
        String sourceName = naming.source();
        String metric = naming.metric();
        Source src = registry.find(sourceName);
        Series found = src == null ? null : src.find(metric);
        if (found != null) {
            return found;
        }
        if (src != null && src.ignores(metric)) {
            lastRefusal = Skip.IGNORED;
            return null;
        }
        synchronized (registry.creationLock()) {
            src = registry.find(sourceName);
            if (src == null && registry.sourceCount() >= registry.maxSources()) {
                lastRefusal = Skip.LIMIT;
                return null;
            }
            if (src != null) {
                found = src.find(metric);
                if (found != null) {
                    return found;
                }
                if (src.ignores(metric)) {
                    lastRefusal = Skip.IGNORED;
                    return null;
                }
                if (src.namesHeld() >= registry.maxMetricsPerSource()) {
                    lastRefusal = Skip.LIMIT;
                    return null;
                }
            }
            if (registry.specFor(sourceName, metric) == null) { // a rule ignores it: remembered by the source
                registry.getOrCreate(registry.getOrCreate(sourceName), metric);
                lastRefusal = Skip.IGNORED;
                return null;
            }
            if (registry.seriesCount() >= registry.maxSeries()) {
                lastRefusal = Skip.LIMIT;
                return null;
            }
            return registry.getOrCreate(registry.getOrCreate(sourceName), metric);
        }
    }
}
