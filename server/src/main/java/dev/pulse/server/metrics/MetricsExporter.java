package dev.pulse.server.metrics;

import dev.pulse.protocol.event.DecodeError;
import dev.pulse.protocol.reply.PrometheusTextWriter;
import dev.pulse.server.analytics.Series;
import dev.pulse.server.analytics.SeriesRegistry;
import dev.pulse.server.http.Route;
import dev.pulse.server.metrics.ServerCounters.Rejection;
import dev.pulse.server.query.FleetView;
import dev.pulse.server.redis.RedisStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import io.prometheus.client.hotspot.DefaultExports;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /metrics}: the service's metrics written straight into a buffer in the text format 0.0.4, followed by
 * the JVM's (memory, GC, threads, from simpleclient_hotspot). Per-series gauges stop at
 * {@code MAX_EXPORTED_SERIES} so a scrape stays bounded however many sources arrive.
 *
 * <p>Not thread-safe: one instance per event loop (a scrape is served by the loop it arrived on).
 */
public final class MetricsExporter {
    /** Most distinct metric names labelled in {@code anomalies_detected_total}; the rest are summed as "other". */
    static final int MAX_ANOMALY_METRIC_LABELS = 64;

    private static final CollectorRegistry JVM = new CollectorRegistry(true);

    static {
        DefaultExports.register(JVM);
    }

    private final PrometheusTextWriter out = new PrometheusTextWriter();
    private final HttpMetrics http;
    private final ServerCounters counters;
    private final SeriesRegistry registry;
    private final RedisStatus redis;
    private final FleetView fleet;
    private final int maxExportedSeries;

    public MetricsExporter(HttpMetrics http, ServerCounters counters, SeriesRegistry registry, RedisStatus redis,
                           FleetView fleet, int maxExportedSeries) {
        this.http = http;
        this.counters = counters;
        this.registry = registry;
        this.redis = redis;
        this.fleet = fleet;
        this.maxExportedSeries = maxExportedSeries;
    }

    /** The whole scrape: the service's families, then the JVM's. */
    public void write(ByteBuf buf) {
        writeService(buf);
        writeJvm(buf);
    }

    /** The service's own families only: what grows with the number of series. */
    public void writeService(ByteBuf buf) {
        out.target(buf);
        writeHttp();
        writeCounters();
        writeSeries();
        writeRedis();
    }

    private void writeHttp() {
        Route[] routes = Route.values();
        String[] methods = HttpMetrics.METHODS;
        out.family("http_requests_total", "counter", "HTTP requests answered, by method, route and status.");
        for (int m = 0; m < methods.length; m++) {
            for (Route r : routes) {
                for (int s = 0; s <= HttpMetrics.STATUSES.length; s++) {
                    long n = http.requests(m, r.ordinal(), s);
                    if (n > 0) {
                        out.sample("http_requests_total").label(true, "method", methods[m])
                                .label(false, "path", r.path()).label(false, "status", HttpMetrics.statusLabel(s))
                                .value(true, n);
                    }
                }
            }
        }
        out.family("http_request_duration_seconds", "histogram",
                "Time from a request's first decoded byte to its reply being written.");
        double[] bounds = HttpMetrics.BUCKETS;
        for (int m = 0; m < methods.length; m++) {
            for (Route r : routes) {
                long count = 0;
                for (int b = 0; b <= bounds.length; b++) {
                    count += http.bucket(m, r.ordinal(), b);
                }
                if (count == 0) {
                    continue;
                }
                long cumulative = 0;
                for (int b = 0; b <= bounds.length; b++) {
                    cumulative += http.bucket(m, r.ordinal(), b);
                    out.sample("http_request_duration_seconds_bucket").label(true, "method", methods[m])
                            .label(false, "path", r.path())
                            .label(false, "le", b < bounds.length ? HttpMetrics.BUCKET_LABELS[b] : "+Inf")
                            .value(true, cumulative);
                }
                out.sample("http_request_duration_seconds_count").label(true, "method", methods[m])
                        .label(false, "path", r.path()).value(true, cumulative);
                out.sample("http_request_duration_seconds_sum").label(true, "method", methods[m])
                        .label(false, "path", r.path()).value(true, http.durationNanos(m, r.ordinal()) / 1e9);
            }
        }
    }

    private void writeCounters() {
        out.single("events_ingested_total", "counter", "Events applied to the rolling windows.",
                counters.eventsTotal());
        out.family("events_rejected_total", "counter", "Rejected ingest requests (one per request), by reason.");
        for (DecodeError e : DecodeError.values()) {
            out.sample("events_rejected_total").label(true, "reason", e.label()).value(true, counters.rejectedCount(e));
        }
        for (Rejection r : Rejection.values()) {
            out.sample("events_rejected_total").label(true, "reason", r.label()).value(true, counters.rejectedCount(r));
        }
        out.single("active_connections", "gauge", "Open client connections.", counters.activeConnections());
        out.single("metrics_sources", "gauge", "Sources held in memory.", registry.sourceCount());
        out.single("metrics_series", "gauge", "Series held in memory.", registry.seriesCount());
        out.single("series_expired_total", "counter", "Series forgotten after SERIES_TTL_MS without a value.",
                registry.expiredTotal());
        out.single("analyze_cache_hits_total", "counter", "Fleet views served from the snapshot cache.", fleet.hits());
        out.single("analyze_cache_misses_total", "counter", "Fleet views that rendered a new snapshot.",
                fleet.misses());
    }

    /** Anomaly counts per metric name, then the per-series gauges (bounded). Reads series without locks. */
    private void writeSeries() {
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
        writeGauge("metrics_rolling_average", "Mean of each series' rolling window.", Series::rollingAverage);
        writeGauge("metrics_zscore", "z-score of each series' last value (NaN when undefined).", Series::lastZscore);
        writeGauge("metrics_anomaly_score", "The detector's anomaly score of each series' last value, in [0, 1].",
                Series::lastScore);
    }

    /** One gauge family over the series in creation order, stopping at MAX_EXPORTED_SERIES. */
    private void writeGauge(String name, String help, java.util.function.ToDoubleFunction<Series> value) {
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

    private void writeRedis() {
        RedisStatus.Health h = redis.health();
        out.single("redis_up", "gauge", "1 when Redis is reachable, 0 when not, -1 when disabled.",
                h == RedisStatus.Health.UP ? 1 : h == RedisStatus.Health.DOWN ? 0 : -1);
        out.single("redis_queue_depth", "gauge", "Metric values waiting in the write-behind queue.",
                redis.queueDepth());
        out.single("redis_events_written_total", "counter", "Metric values written to Redis.", redis.eventsWritten());
        out.single("redis_batches_written_total", "counter", "Pipelined batches written to Redis.",
                redis.batchesWritten());
        out.single("redis_write_failures_total", "counter", "Batches whose write to Redis failed and was retried.",
                redis.writeFailures());
        out.single("redis_events_dropped_total", "counter", "Queued metric values dropped because the queue was full.",
                redis.dropped());
        out.single("redis_reconnects_total", "counter", "Reconnections to Redis.", redis.reconnects());
        redis.writeHistograms((sizes, nanos) -> {
            writeHistogram("redis_batch_size", "Metric values per pipelined write to Redis.", sizes, BATCH_BOUNDS, 1.0);
            writeHistogram("redis_write_duration_seconds", "Time of one pipelined write to Redis.", nanos,
                    WRITE_BOUNDS, 1e-9);
        });
    }

    private static final double[] BATCH_BOUNDS = {1, 10, 100, 1000, 10_000};
    private static final double[] WRITE_BOUNDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5};

    /** A Prometheus histogram from an HdrHistogram; {@code unit} converts recorded values to the exported unit. */
    private void writeHistogram(String name, String help, org.HdrHistogram.Histogram h, double[] bounds, double unit) {
        out.family(name, "histogram", help);
        for (double bound : bounds) {
            long upTo = (long) Math.floor(bound / unit);
            long count = h.getTotalCount() == 0 ? 0 : h.getCountBetweenValues(0, upTo);
            out.sample(name + "_bucket").label(true, "le", java.math.BigDecimal.valueOf(bound).stripTrailingZeros()
                    .toPlainString()).value(true, count);
        }
        out.sample(name + "_bucket").label(true, "le", "+Inf").value(true, h.getTotalCount());
        out.unlabelled(name + "_count", h.getTotalCount());
        out.unlabelled(name + "_sum", h.getTotalCount() == 0 ? 0.0 : h.getMean() * h.getTotalCount() * unit);
    }

    private static void writeJvm(ByteBuf buf) {
        try (Writer w = new OutputStreamWriter(new ByteBufOutputStream(buf), StandardCharsets.UTF_8)) {
            TextFormat.write004(w, JVM.metricFamilySamples());
        } catch (IOException e) {
            throw new IllegalStateException("writing to a memory buffer failed", e);
        }
    }
}
