package dev.pulse.server.redis;

/** What the Redis tier reports to {@code /health}, {@code /stats} and {@code /metrics}. Thread-safe reads. */
public interface RedisStatus {
    enum Health { UP, DOWN, DISABLED }

    Health health();

    /** Whether the last write round failed: Redis reachable but refusing writes (out of memory, read-only). */
    default boolean writesFailing() {
        return false;
    }

    long queueDepth();

    /** Metric values written to Redis (an event with four metrics is four). */
    long valuesWritten();

    long batchesWritten();

    long writeFailures();

    /** Metric values dropped: the queue was full, or Redis refused their series' key (another type under its name). */
    long valuesDropped();

    long reconnects();

    /** Series rebuilt from Redis at start-up. */
    default long restoredSeries() {
        return 0;
    }

    /** Hands the cumulative histograms of batch sizes (events) and write latencies (ns) to {@code sink}. */
    default void writeHistograms(java.util.function.BiConsumer<org.HdrHistogram.Histogram, org.HdrHistogram.Histogram> sink) {
    }

    /** The status of a server started with {@code REDIS_ADDR=none}. */
    RedisStatus DISABLED = new RedisStatus() {
        public Health health() { return Health.DISABLED; }
        public long queueDepth() { return 0; }
        public long valuesWritten() { return 0; }
        public long batchesWritten() { return 0; }
        public long writeFailures() { return 0; }
        public long valuesDropped() { return 0; }
        public long reconnects() { return 0; }
    };
}
