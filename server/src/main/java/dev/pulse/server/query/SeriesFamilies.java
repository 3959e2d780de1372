package dev.pulse.server.query;

import dev.pulse.protocol.reply.PrometheusTextWriter;
import dev.pulse.server.analytics.Series;
import dev.pulse.server.analytics.SeriesRegistry;
import dev.pulse.server.metrics.MetricFamilies;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The series' families in {@code /metrics}: how many sources and series are held, anomaly counts per metric name,
 * then per-series gauges, which stop at {@code MAX_EXPORTED_SERIES} so a scrape stays bounded however many
 * sources arrive. Reads series without their lock.
 */
public final class SeriesFamilies implements MetricFamilies {
    /** Most distinct metric names labelled in {@code anomalies_detected_total}; the rest are summed as "other". */
    static final int MAX_ANOMALY_METRIC_LABELS = 64;

    private final SeriesRegistry registry;
    private final int maxExportedSeries;

    public SeriesFamilies(SeriesRegistry registry, int maxExportedSeries) {
        this.registry = registry;
        this.maxExportedSeries = maxExportedSeries;
    }

    @Override
    public void writeTo(PrometheusTextWriter out) {
        out.single("metrics_sources", "gauge", "Sources held in memory.", registry.sourceCount());
        out.single("metrics_series", "gauge", "Series held in memory.", registry.seriesCount());
        out.single("series_expired_total", "counter", "Series forgotten after SERIES_TTL_MS without a value.",
                registry.expiredTotal());
        Map<String, long[]> anomaliesByMetric = new LinkedHashMap<>();
        long[] other = {0};
        registry.forEachSource(source -> {
            for (Series s : source.series()) {
                long[] slot = anomaliesByMetric.get(s.metric());
                if (slot == null && anomaliesByMetric.size() < MAX_ANOMALY_METRIC_LABELS) {
                    slot = new long[1];
                    anomaliesByMetric.put(s.metric(), slot);
                }
                (slot == null ? other : slot)[0] += s.anomaliesTotal();
            }
            return true;
        });
        out.family("anomalies_detected_total", "counter", "Values flagged as anomalies, by metric name.");
        for (Map.Entry<String, long[]> e : anomaliesByMetric.entrySet()) {
            out.sample("anomalies_detected_total").label(true, "metric", e.getKey()).value(true, e.getValue()[0]);
        }
        if (anomaliesByMetric.size() >= MAX_ANOMALY_METRIC_LABELS) {
            out.sample("anomalies_detected_total").label(true, "metric", "other").value(true, other[0]);
        }
        writeGauge(out, "metrics_rolling_average", "Mean of each series' rolling window.", Series::rollingAverage);
        writeGauge(out, "metrics_zscore", "z-score of each series' last value (NaN when undefined).",
                Series::lastZscore);
        writeGauge(out, "metrics_anomaly_score", "The detector's anomaly score of each series' last value, in [0, 1].",
                Series::lastScore);
    }

    /** One gauge family over the series in creation order, stopping at MAX_EXPORTED_SERIES. */
    private void writeGauge(PrometheusTextWriter out, String name, String help, ToDoubleFunction<Series> value) {
        out.family(name, "gauge", help);
        int[] left = {maxExportedSeries};
        registry.forEachSource(source -> {
            for (Series s : source.series()) {
                if (left[0]-- <= 0) {
                    return false;
                }
                out.sample(name).label(true, "source", source.name()).label(false, "metric", s.metric())
                        .value(true, value.applyAsDouble(s));
            }
            return true;
        });
    }
}
