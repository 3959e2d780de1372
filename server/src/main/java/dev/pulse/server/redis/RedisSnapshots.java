package dev.pulse.server.redis;

import dev.pulse.server.config.Config;
import io.lettuce.core.api.StatefulRedisConnection;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What other replicas wrote, for {@code /analyze} of a source this replica does not hold: one source on demand
 * (Lettuce's async API, completing off the event loop), and the fleet view's remote part, refreshed in the background
 * every {@code ANALYZE_CACHE_TTL_MS} by a thread of its own and read without waiting.
 */
final class RedisSnapshots {
    private final StatefulRedisConnection<String, String> connection;
    private final KeySchema keys;
    private final Config config;
    private final Thread refresher;
    private volatile Map<String, String> fleet = Map.of(); // replaced by the refresher thread
    private volatile boolean closed;                       // set by the shutdown thread

    RedisSnapshots(StatefulRedisConnection<String, String> connection, KeySchema keys, Config config) {
        this.connection = connection;
        this.keys = keys;
        this.config = config;
        this.refresher = new Thread(this::refreshLoop, "redis-fleet");
        refresher.setDaemon(true);
        refresher.start();
    }

    /** {@code /analyze?source=S[&metric=M]} from the source's hash, or null when Redis has no such source or metric. */
    CompletionStage<String> analyze(String source, String metric) {
        if (!connection.isOpen()) {
            return CompletableFuture.completedFuture(null);
        }
        return connection.async().hgetall(keys.source(source)).thenApply(fields -> {
            String metrics = metricsJson(fields, metric);
            if (metrics == null) {
                return null;
            }
            return "{\"source\":" + quote(source) + ",\"from\":\"redis\",\"age_ms\":" + age(fields)
                    + ",\"window\":" + config.windowSize() + ",\"threshold\":" + config.zscoreThreshold()
                    + ",\"metrics\":" + metrics + "}";
        }).exceptionally(e -> null);
    }

    Map<String, String> fleet() {
        return fleet;
    }

    void close() {
        closed = true;
        refresher.interrupt();
        connection.close();
    }

    private void refreshLoop() {
        while (!closed) {
            try {
                Map<String, String> next = new HashMap<>();
                for (String source : connection.sync().smembers(keys.sources())) {
                    if (next.size() >= config.maxSources()) {
                        break;
                    }
                    Map<String, String> fields = connection.sync().hgetall(keys.source(source));
                    String metrics = metricsJson(fields, null);
                    if (metrics != null) {
                        next.put(source, "{\"from\":\"redis\",\"age_ms\":" + age(fields) + ",\"metrics\":" + metrics + "}");
                    }
                }
                fleet = next;
            } catch (RuntimeException e) {
                // Redis away: keep the last view; the next round tries again
            }
            try {
                Thread.sleep(Math.max(100, config.analyzeCacheTtlMs()));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** {"cpu": {...}, ...} from a source hash (only {@code metric} when given), or null when there is nothing. */
    private static String metricsJson(Map<String, String> fields, String metric) {
        Map<String, String> sorted = new TreeMap<>(fields);
        sorted.remove(KeySchema.UPDATED_FIELD);
        if (metric != null) {
            String one = sorted.get(metric);
            return one == null ? null : "{" + quote(metric) + ":" + one + "}";
        }
        if (sorted.isEmpty()) {
            return null;
        }
        StringBuilder b = new StringBuilder("{");
        sorted.forEach((k, v) -> b.append(b.length() > 1 ? "," : "").append(quote(k)).append(':').append(v));
        return b.append('}').toString();
    }

    private static long age(Map<String, String> fields) {
        String updated = fields.get(KeySchema.UPDATED_FIELD);
        try {
            return updated == null ? -1 : Math.max(0, System.currentTimeMillis() - Long.parseLong(updated));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A JSON string: source names need no escaping, labelled metric names may hold {@code "} and {@code \\}. */
    private static String quote(String name) {
        StringBuilder b = new StringBuilder(name.length() + 2).append('"');
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\');
            }
            if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
