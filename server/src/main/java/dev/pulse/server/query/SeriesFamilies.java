package dev.pulse.server.query;

import dev.pulse.protocol.reply.PrometheusTextWriter;
import dev.pulse.server.analytics.Series;
import dev.pulse.server.analytics.SeriesRegistry;
import dev.pulse.server.metrics.MetricFamilies;

import java.util.function.ToDoubleFunction;

/**
 * The series' families in {@code /metrics}: how many sources and series are held, anomaly counts per series,
 * then per-series gauges; both stop at {@code MAX_EXPORTED_SERIES} series so a scrape stays bounded however many
 * sources arrive. Reads each source's series under the source's lock, as {@code /analyze} does, so a gauge is
 * never a half-updated value; the lock is held for one source at a time, for a few field reads per series.
 */
public final class SeriesFamilies implements MetricFamilies {
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
        writeAnomalies(out);
        writeGauge(out, "metrics_rolling_average", "Mean of each series' rolling window.", Series::rollingAverage);
        writeGauge(out, "metrics_zscore", "z-score of each series' last value (NaN when undefined).",
                Series::lastZscore);
        writeGauge(out, "metrics_anomaly_score", "The detector's anomaly score of each series' last value, in [0, 1].",
                Series::lastScore);
    }

    /**
     * {@code anomalies_detected_total{source,metric}} for the first MAX_EXPORTED_SERIES series in creation order,
     * like the gauges; the series past the bound are summed into one sample without labels, so that
     * {@code sum(anomalies_detected_total)} stays the total however many series there are.
     */
    private void writeAnomalies(PrometheusTextWriter out) {
        out.family("anomalies_detected_total", "counter", "Values flagged as anomalies, per series (the first "
                + "MAX_EXPORTED_SERIES series; the rest summed in the sample without labels).");
        long[] rest = {0, 0}; // {anomalies of the series past the bound, how many such series}
        int[] left = {maxExportedSeries};
        registry.forEachSource(source -> {
            synchronized (source) {
                for (Series s : source.series()) {
                    if (left[0]-- > 0) {
                        out.sample("anomalies_detected_total").label(true, "source", source.name())
                                .label(false, "metric", s.metric()).value(true, s.anomaliesTotal());
                    } else {
                        rest[0] += s.anomaliesTotal();
                        rest[1]++;
                    }
                }
            }
            return true;
        });
        if (rest[1] > 0) {
            out.unlabelled("anomalies_detected_total", rest[0]);
        }
    }

    /** One gauge family over the series in creation order, stopping at MAX_EXPORTED_SERIES. */
    private void writeGauge(PrometheusTextWriter out, String name, String help, ToDoubleFunction<Series> value) {
        out.family(name, "gauge", help);
        int[] left = {maxExportedSeries};
        registry.forEachSource(source -> {
            synchronized (source) {
                for (Series s : source.series()) {
                    if (left[0]-- <= 0) {
                        return false;
                    }
                    out.sample(name).label(true, "source", source.name()).label(false, "metric", s.metric())
                            .value(true, value.applyAsDouble(s));
                }
            }
            return true;
        });
    }
}
