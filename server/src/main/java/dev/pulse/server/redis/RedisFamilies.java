package dev.pulse.server.redis;

import dev.pulse.protocol.reply.PrometheusTextWriter;
import dev.pulse.server.metrics.Histograms;
import dev.pulse.server.metrics.MetricFamilies;

/** The Redis tier's families in {@code /metrics}: reachability, queue depth, writes, and their histograms. */
public final class RedisFamilies implements MetricFamilies {
    private static final double[] BATCH_BOUNDS = {1, 10, 100, 1000, 10_000};
    private static final double[] WRITE_BOUNDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5};

    private final RedisStatus redis;

    public RedisFamilies(RedisStatus redis) {
        this.redis = redis;
    }

    @Override
    public void writeTo(PrometheusTextWriter out) {
        RedisStatus.Health h = redis.health();
        out.single("redis_up", "gauge", "1 when Redis is reachable, 0 when not, -1 when disabled.",
                h == RedisStatus.Health.UP ? 1 : h == RedisStatus.Health.DOWN ? 0 : -1);
        out.single("redis_queue_depth", "gauge", "Metric values waiting in the write-behind queue.",
                redis.queueDepth());
        out.single("redis_values_written_total", "counter", "Metric values written to Redis.", redis.valuesWritten());
        out.single("redis_batches_written_total", "counter", "Pipelined batches written to Redis.",
                redis.batchesWritten());
        out.single("redis_write_failures_total", "counter", "Batches whose write to Redis failed and was retried.",
                redis.writeFailures());
        out.single("redis_values_dropped_total", "counter",
                "Metric values dropped: the queue was full, or Redis refused their series' key (another type).",
                redis.valuesDropped());
        out.single("redis_reconnects_total", "counter", "Reconnections to Redis.", redis.reconnects());
        redis.writeHistograms((sizes, nanos) -> {
            Histograms.write(out, "redis_batch_size", "Metric values per pipelined write to Redis.", sizes,
                    BATCH_BOUNDS, 1.0);
            Histograms.write(out, "redis_write_duration_seconds", "Time of one pipelined write to Redis.", nanos,
                    WRITE_BOUNDS, 1e-9);
        });
    }
}
