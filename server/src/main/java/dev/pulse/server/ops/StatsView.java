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
        w.raw('{').key("uptime_seconds").number(Math.floor((System.nanoTime() - startNanos) / 1e9 * 1000) / 1000)
                .raw(',').key("events_total").number(counters.eventsTotal())
                .raw(',').key("requests_total").number(http.requestsTotal())
                .raw(',').key("rejected_total").number(counters.rejectedTotal())
                .raw(',').key("anomalies_total").number(counters.anomaliesTotal())
                .raw(',').key("sources").number(registry.sourceCount())
                .raw(',').key("series").number(registry.seriesCount())
                .raw(',').key("series_expired").number(registry.expiredTotal())
                .raw(',').key("active_connections").number(http.activeConnections())
                .raw(',').key("in_flight").number(http.inFlight())
                .raw(',').key("latency_ms").raw('{')
                .key("count").number(h.getTotalCount())
                .raw(',').key("p50").number(millis(h, 50.0))
                .raw(',').key("p90").number(millis(h, 90.0))
                .raw(',').key("p99").number(millis(h, 99.0))
                .raw(',').key("p999").number(millis(h, 99.9))
                .raw(',').key("max").number(h.getTotalCount() == 0 ? 0.0 : h.getMaxValue() / 1e6)
                .raw('}')
                .raw(',').key("redis").raw('{')
                .key("connected").bool(redis.health() == RedisStatus.Health.UP)
                .raw(',').key("status").string(redis.health().name())
                .raw(',').key("queue_depth").number(redis.queueDepth())
                .raw(',').key("values_written").number(redis.valuesWritten())
                .raw(',').key("batches_written").number(redis.batchesWritten())
                .raw(',').key("write_failures").number(redis.writeFailures())
                .raw(',').key("values_dropped").number(redis.valuesDropped())
                .raw(',').key("reconnects").number(redis.reconnects())
                .raw(',').key("restored_series").number(redis.restoredSeries())
                .raw('}')
                .raw(',').key("cache").raw('{')
                .key("hits").number(hits)
                .raw(',').key("misses").number(misses)
                .raw(',').key("hit_rate").number(hits + misses == 0 ? 0.0 : (double) hits / (hits + misses))
                .raw('}')
                .raw('}');
    }

    private static double millis(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0.0 : h.getValueAtPercentile(percentile) / 1e6;
    }
}
