package dev.pulse.server.redis;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.pulse.protocol.reply.JsonWriter;
import dev.pulse.server.config.Config;
import dev.pulse.server.query.AnalyzeJson;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.LockSupport;

/**
 * What other replicas wrote, for {@code /analyze} of a source this replica does not hold: one source on demand
 * (Lettuce's async API, completing off the event loop), and the fleet view's remote part, refreshed in the background
 * every {@code ANALYZE_CACHE_TTL_MS} by a thread of its own and read without waiting. The refresh reads every
 * source's hash, so it runs only while the fleet view is being asked for: after {@value #IDLE_NANOS} ns unasked it
 * pauses, and the first request after that waits for the refresh it wakes ({@link #fleetReady}), so no fleet view
 * leaves out another replica's sources for being the first one asked.
 *
 * <p>A series' snapshot is copied into the reply as it is, so one that is not a JSON object (edited in, or written
 * by another program) is left out rather than breaking the reply, and a source whose key Redis cannot read as a hash
 * is left out of the fleet view rather than stopping its refresh.
 */
final class RedisSnapshots {
    static final long IDLE_NANOS = 60_000_000_000L;
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES).build();

    private final StatefulRedisConnection<String, String> connection;
    private final KeySchema keys;
    private final Config config;
    private final Thread refresher;
    private volatile Map<String, String> fleet = Map.of(); // replaced by the refresher thread
    private final NextRound rounds = new NextRound(); // fleet views waiting for the refresh their ask woke
    private volatile boolean closed;                       // set by the shutdown thread
    private volatile long askedNanos = System.nanoTime() - IDLE_NANOS - 1; // set by whichever thread asks for the
                                                                          // fleet view; paused until the first ask

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
            Map<String, String> metrics = metrics(fields, metric);
            if (metrics == null) {
                return null;
            }
            JsonWriter w = writer();
            AnalyzeJson.openRedis(w, source, age(fields), config.windowSize(), config.zscoreThreshold());
            return finish(writeMetrics(w, metrics).endObject());
        }).exceptionally(e -> null);
    }

    /** See {@link dev.pulse.server.query.RemoteSnapshots#fleetReady}. */
    CompletionStage<Void> fleetReady() {
        CompletableFuture<Void> pending = rounds.pending();
        if (pending != null) {
            return pending; // woken and not refreshed yet: the view is as old as the pause
        }
        if (System.nanoTime() - askedNanos <= IDLE_NANOS) {
            return CompletableFuture.completedFuture(null); // refreshing (or failing to, Redis away): no wait
        }
        CompletableFuture<Void> next = rounds.next(); // before the wake: the refresh it wakes completes this one
        fleet();
        return next;
    }

    Map<String, String> fleet() {
        long now = System.nanoTime();
        boolean paused = now - askedNanos > IDLE_NANOS;
        askedNanos = now;
        if (paused) {
            LockSupport.unpark(refresher);
        }
        return fleet;
    }

    void close() {
        closed = true;
        refresher.interrupt();
        connection.close();
    }

    private void refreshLoop() {
        while (!closed) {
            if (System.nanoTime() - askedNanos > IDLE_NANOS) {
                LockSupport.park(this); // until the fleet view is asked for again (or close)
                continue;
            }
            rounds.begin();
            try {
                Map<String, String> next = new HashMap<>();
                for (String source : connection.sync().smembers(keys.sources())) {
                    if (next.size() >= config.maxSources()) {
                        break;
                    }
                    Map<String, String> fields;
                    try {
                        fields = connection.sync().hgetall(keys.source(source));
                    } catch (RedisCommandExecutionException e) {
                        continue; // not a hash: not one of ours to show
                    }
                    Map<String, String> metrics = metrics(fields, null);
                    if (metrics != null) {
                        JsonWriter w = writer();
                        AnalyzeJson.openRedisEntry(w, age(fields));
                        next.put(source, finish(writeMetrics(w, metrics).endObject()));
                    }
                }
                fleet = next;
            } catch (RuntimeException e) {
                // Redis away: keep the last view; the next round tries again
            }
            rounds.end(); // whoever waited reads what this round found (or, Redis away, the last view)
            try {
                Thread.sleep(Math.max(100, config.analyzeCacheTtlMs()));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * The series of a source hash whose snapshots are JSON objects, by name (only {@code metric} when given), or null
     * when there is none.
     */
    private static Map<String, String> metrics(Map<String, String> fields, String metric) {
        Map<String, String> sorted = new TreeMap<>(fields);
        sorted.remove(KeySchema.UPDATED_FIELD);
        if (metric != null) {
            String one = sorted.get(metric);
            return one == null || !isObject(one) ? null : Map.of(metric, one);
        }
        sorted.values().removeIf(json -> !isObject(json));
        return sorted.isEmpty() ? null : sorted;
    }

    /** Whether {@code text} is one well-formed JSON object and nothing more. */
    static boolean isObject(String text) {
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code {"cpu": {...}, ...}}: each value is the series' JSON as {@code SeriesJson} wrote it to Redis. */
    private static JsonWriter writeMetrics(JsonWriter w, Map<String, String> metrics) {
        w.beginObject();
        metrics.forEach((name, json) -> w.name(name).rawValue(json));
        return w.endObject();
    }

    /** Off the event loops, so a heap buffer and a writer per answer. */
    private static JsonWriter writer() {
        return new JsonWriter().target(Unpooled.buffer(512));
    }

    private static String finish(JsonWriter w) {
        String json = w.buffer().toString(StandardCharsets.UTF_8);
        w.buffer().release();
        return json;
    }

    private static long age(Map<String, String> fields) {
        String updated = fields.get(KeySchema.UPDATED_FIELD);
        try {
            return updated == null ? -1 : Math.max(0, System.currentTimeMillis() - Long.parseLong(updated));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
