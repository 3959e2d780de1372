package dev.pulse.server.ops;

import dev.pulse.protocol.reply.JsonWriter;
import dev.pulse.server.analytics.SeriesRegistry;
import dev.pulse.server.http.HttpMetrics;
import dev.pulse.server.ingest.IngestCounters;
import dev.pulse.server.query.FleetView;
import dev.pulse.server.redis.RedisStatus;
import org.HdrHistogram.Histogram;

/** {@code GET /stats}: counters, request latency percentiles over a recent interval, Redis and cache figures. */
public final class StatsView {
    private final long startNanos = System.nanoTime();
    private final IngestCounters counters;
    private final HttpMetrics http;
    private final SeriesRegistry registry;
    private final RedisStatus redis;
    private final FleetView fleet;

    public StatsView(IngestCounters counters, HttpMetrics http, SeriesRegistry registry, RedisStatus redis,
                     FleetView fleet) {
        this.counters = counters;
        this.http = http;
        this.registry = registry;
        this.redis = redis;
        this.fleet = fleet;
    }

    public void write(JsonWriter w) {
        Histogram h = http.latency().snapshot();
        long hits = fleet.hits();
        long misses = fleet.misses();
        w.beginObject().name("uptime_seconds").value(Math.floor((System.nanoTime() - startNanos) / 1e9 * 1000) / 1000)
                .name("events_total").value(counters.eventsTotal())
                .name("requests_total").value(http.requestsTotal())
                .name("rejected_total").value(counters.rejectedTotal())
                .name("anomalies_total").value(counters.anomaliesTotal())
                .name("sources").value(registry.sourceCount())
                .name("series").value(registry.seriesCount())
                .name("series_expired").value(registry.expiredTotal())
                .name("active_connections").value(http.activeConnections())
                .name("in_flight").value(http.inFlight())
                .name("latency_ms").beginObject()
                .name("count").value(h.getTotalCount())
                .name("p50").value(millis(h, 50.0))
                .name("p90").value(millis(h, 90.0))
                .name("p99").value(millis(h, 99.0))
                .name("p999").value(millis(h, 99.9))
                .name("max").value(h.getTotalCount() == 0 ? 0.0 : h.getMaxValue() / 1e6)
                .endObject()
                .name("redis").beginObject()
                .name("connected").value(redis.health() == RedisStatus.Health.UP)
                .name("status").value(redis.health().name())
                .name("queue_depth").value(redis.queueDepth())
                .name("values_written").value(redis.valuesWritten())
                .name("batches_written").value(redis.batchesWritten())
                .name("write_failures").value(redis.writeFailures())
                .name("values_dropped").value(redis.valuesDropped())
                .name("reconnects").value(redis.reconnects())
                .name("restored_series").value(redis.restoredSeries())
                .endObject()
                .name("cache").beginObject()
                .name("hits").value(hits)
                .name("misses").value(misses)
                .name("hit_rate").value(hits + misses == 0 ? 0.0 : (double) hits / (hits + misses))
                .endObject()
                .endObject();
    }

    private static double millis(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0.0 : h.getValueAtPercentile(percentile) / 1e6;
    }
}
