package dev.pulse.server.query;

import dev.pulse.protocol.reply.PrometheusTextWriter;
import dev.pulse.server.analytics.ForgetListener;
import dev.pulse.server.analytics.Series;
import dev.pulse.server.analytics.SeriesRegistry;
import dev.pulse.server.analytics.Source;
import dev.pulse.server.metrics.MetricFamilies;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;

/**
 * The series' families in {@code /metrics}: how many sources and series are held, anomaly counts per series,
 * then per-series gauges; both name at most {@code MAX_EXPORTED_SERIES} series so a scrape stays bounded however
 * many sources arrive. Whether a series is named is decided once, at the first scrape that sees it, while fewer
 * than the bound are named: a series never moves between the named samples and the summed one, where its counter
 * would go backwards. Reads each source's series under the source's lock, as {@code /analyze} does, so a gauge is
 * never a half-updated value; the lock is held for one source at a time, for a few field reads per series.
 *
 * <p>Thread-safe: scrapes (any event loop) take this object's monitor, then each source's to read and decide its
 * series; forgetting series reads their state under their source's lock and updates the two counts.
 */
public final class SeriesFamilies implements MetricFamilies, ForgetListener {
    private static final byte NAMED = 1;
    private static final byte SUMMED = 2;

    private final SeriesRegistry registry;
    private final int maxExportedSeries;
    private final AtomicInteger named = new AtomicInteger();   // series named and not forgotten
    private final LongAdder summedForgotten = new LongAdder(); // anomalies of summed series forgotten since start
    private long summedExported; // guarded by this: the summed sample last exported, which never goes down

    public SeriesFamilies(SeriesRegistry registry, int maxExportedSeries) {
        this.registry = registry;
        this.maxExportedSeries = maxExportedSeries;
        registry.addForgetListener(this);
    }

    @Override
    public void forgotten(Source source, Series[] series, boolean sourceForgotten, boolean deleted) {
        synchronized (source) { // the state is written under it too; the registry's creation lock is held already
            for (Series s : series) {
                if (s.exported() == NAMED) {
                    named.decrementAndGet(); // its place goes to a new series
                } else if (s.exported() == SUMMED) {
                    summedForgotten.add(s.anomaliesTotal()); // retired: no value changes it any more
                }
            }
        }
    }

    @Override
    public synchronized void writeTo(PrometheusTextWriter out) {
        out.single("metrics_sources", "gauge", "Sources held in memory.", registry.sourceCount());
        out.single("metrics_series", "gauge", "Series held in memory.", registry.seriesCount());
        out.single("series_expired_total", "counter", "Series forgotten after SERIES_TTL_MS without a value.",
                registry.expiredTotal());
        writeAnomalies(out);
        writeGauge(out, "metrics_rolling_average", "Mean of each series' rolling window.", Series::rollingAverage);
        writeGauge(out, "metrics_zscore", "z-score of each series' last value (NaN when undefined).",
                Series::lastZscore);
        writeGauge(out, "metrics_anomaly_score", "The detector's anomaly score of each series' last value, in [0, 1].",
                Series::lastScore);
    }

    /**
     * {@code anomalies_detected_total{source,metric}} for the named series; the others are summed into one sample
     * without labels, with those forgotten, so that {@code sum(anomalies_detected_total)} counts every anomaly.
     */
    private void writeAnomalies(PrometheusTextWriter out) {
        out.family("anomalies_detected_total", "counter", "Values flagged as anomalies, per series (at most "
                + "MAX_EXPORTED_SERIES series named; the rest summed in the sample without labels).");
        long[] summed = {summedForgotten.sum(), 0}; // {anomalies of the summed series, how many are held}
        registry.forEachSource(source -> {
            synchronized (source) {
                for (Series s : source.series()) {
                    if (s.exported() == 0) {
                        boolean room = named.get() < maxExportedSeries;
                        s.exported(room ? NAMED : SUMMED);
                        if (room) {
                            named.incrementAndGet();
                        }
                    }
                    if (s.exported() == NAMED) {
                        out.sample("anomalies_detected_total").label(true, "source", source.name())
                                .label(false, "metric", s.metric()).value(true, s.anomaliesTotal());
                    } else {
                        summed[0] += s.anomaliesTotal();
                        summed[1]++;
                    }
                }
            }
            return true;
        });
        // Lower only for a moment: a summed series retired and not yet forgotten is in neither sum.
        summedExported = Math.max(summedExported, summed[0]);
        if (summed[1] > 0 || summedExported > 0) {
            out.unlabelled("anomalies_detected_total", summedExported);
        }
    }

    /** One gauge family over the named series; the walk stops at the last of them (they are mostly the oldest). */
    private void writeGauge(PrometheusTextWriter out, String name, String help, ToDoubleFunction<Series> value) {
        out.family(name, "gauge", help);
        int[] left = {named.get()};
        registry.forEachSource(source -> {
            synchronized (source) {
                for (Series s : source.series()) {
                    if (s.exported() == NAMED) {
                        out.sample(name).label(true, "source", source.name()).label(false, "metric", s.metric())
                                .value(true, value.applyAsDouble(s));
                        left[0]--;
                    }
                }
            }
            return left[0] > 0;
        });
    }
}
