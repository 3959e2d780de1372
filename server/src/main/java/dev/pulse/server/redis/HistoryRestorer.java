package dev.pulse.server.redis;

import dev.pulse.server.log.Log;
import dev.pulse.server.analytics.Series;
import dev.pulse.server.analytics.SeriesRegistry;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Warm restart: rebuilds every series from Redis before the server listens, by replaying its stored history (the last
 * {@code REDIS_HISTORY} values, oldest first) through {@link Series#observe}, so its window, z-score and detector
 * state are what they were; counters come from the stored snapshot. The limits of the registry apply; an expired or
 * deleted series never comes back (see {@link #restore}). Runs once, on the start-up thread; nothing it replays is
 * queued for writing again.
 *
 * <p>Reads are pipelined, {@value #SOURCES_PER_ROUND} sources at a time: one round trip for their snapshots, one for
 * their series' lists, so a restart with thousands of series costs a few round trips, not one per key, and holds
 * no more than one chunk's replies.
 *
 * <p>What cannot be read costs only itself: a history entry that does not parse, or holds a time or value that is
 * not a finite number, is skipped (the series is replayed from the rest), and a key that Redis refuses to read as
 * its type (another program's value under the name) is skipped with its series or source; each is logged and left
 * as it is. Only Redis not answering stops the restore.
 */
final class HistoryRestorer {
    static final int SOURCES_PER_ROUND = 256;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern COUNT = Pattern.compile("\"count\":(\\d+)");
    private static final Pattern ANOMALIES = Pattern.compile("\"anomalies_total\":(\\d+)");

    /** What a restore brought back. */
    record Restored(int sources, int series, long values, int unreadable) {
    }

    private final RedisAsyncCommands<String, String> redis;
    private final RedisAsyncCommands<String, byte[]> lists; // the same Redis, for the binary list entries
    private final KeySchema keys;
    private final SeriesRegistry registry;
    private final int history;
    private final long ttlMillis;
    private final long now = System.currentTimeMillis();
    // all owned by the start-up thread, the only one a restorer lives on
    private final List<RedisFuture<?>> removals = new ArrayList<>(); // cleanup sent along, awaited at the end
    private int sources;
    private int seriesCount;
    private long values;
    private int unreadable; // entries and keys skipped

    private HistoryRestorer(RedisAsyncCommands<String, String> redis, RedisAsyncCommands<String, byte[]> lists,
                            KeySchema keys, SeriesRegistry registry, int history, long ttlMillis) {
        this.redis = redis;
        this.lists = lists;
        this.keys = keys;
        this.registry = registry;
        this.history = history;
        this.ttlMillis = ttlMillis;
    }

    /**
     * @param ttlMillis {@code SERIES_TTL_MS}: a source whose snapshot is older, and a series whose list is gone
     *                  (expired or deleted), are not brought back, and what is left of them is removed; 0: no expiry
     */
    static Restored restore(RedisAsyncCommands<String, String> redis, RedisAsyncCommands<String, byte[]> lists,
                            KeySchema keys, SeriesRegistry registry, int history, long ttlMillis) {
        HistoryRestorer r = new HistoryRestorer(redis, lists, keys, registry, history, ttlMillis);
        List<String> all;
        try {
            all = new ArrayList<>(await(redis.smembers(keys.sources())));
        } catch (RedisCommandExecutionException e) {
            r.skip("every source: " + keys.sources(), e);
            return new Restored(0, 0, 0, r.unreadable);
        }
        for (int from = 0; from < all.size(); from += SOURCES_PER_ROUND) {
            r.restoreChunk(all.subList(from, Math.min(all.size(), from + SOURCES_PER_ROUND)));
        }
        r.removals.forEach(HistoryRestorer::await);
        return new Restored(r.sources, r.seriesCount, r.values, r.unreadable);
    }

    private void restoreChunk(List<String> chunk) {
        List<RedisFuture<Map<String, String>>> snapshotReplies = new ArrayList<>(chunk.size());
        for (String source : chunk) {
            snapshotReplies.add(redis.hgetall(keys.source(source)));
        }
        List<Map<String, String>> snapshots = new ArrayList<>(chunk.size());
        Map<String, RedisFuture<List<byte[]>>> replies = new LinkedHashMap<>();
        for (int i = 0; i < chunk.size(); i++) {
            String source = chunk.get(i);
            Map<String, String> snapshot;
            try {
                snapshot = await(snapshotReplies.get(i));
            } catch (RedisCommandExecutionException e) {
                skip("source " + source, e);
                snapshots.add(null);
                continue;
            }
            long updated = updated(snapshot);
            if (snapshot.isEmpty() || ttlMillis > 0 && now - updated >= ttlMillis) {
                forget(source, snapshot);
                snapshots.add(null);
                continue;
            }
            snapshots.add(snapshot);
            for (String metric : snapshot.keySet()) {
                if (!metric.equals(KeySchema.UPDATED_FIELD)) {
                    String key = keys.series(source, metric);
                    replies.put(key, lists.lrange(key, -history, -1));
                }
            }
        }
        for (int i = 0; i < chunk.size(); i++) {
            if (snapshots.get(i) != null) {
                restoreSource(chunk.get(i), snapshots.get(i), replies);
            }
        }
    }

    private void restoreSource(String source, Map<String, String> snapshot, Map<String, RedisFuture<List<byte[]>>> lists) {
        long updated = updated(snapshot);
        boolean any = false;  // a series restored
        boolean kept = false; // a series left in Redis: unreadable here, or refused by this process' limits and rules
        for (Map.Entry<String, String> field : snapshot.entrySet()) {
            if (field.getKey().equals(KeySchema.UPDATED_FIELD)) {
                continue;
            }
            List<byte[]> entries;
            try {
                entries = await(lists.get(keys.series(source, field.getKey())));
            } catch (RedisCommandExecutionException e) {
                skip("series " + source + "/" + field.getKey(), e);
                kept = true;
                continue;
            }
            if (entries.isEmpty()) { // its list expired or was deleted: the series is gone, its field too
                removals.add(redis.hdel(keys.source(source), field.getKey()));
                continue;
            }
            Series s = registry.restore(source, field.getKey());
            if (s == null) {
                Log.warn("restore skipped " + source + "/" + field.getKey() + ": a limit, a rule or a naming rule refused it");
                kept = true;
                continue;
            }
            values += replay(s, readable(source + "/" + field.getKey(), entries), updated, field.getValue());
            s.source().snapshotMs(updated);
            seriesCount++;
            any = true;
        }
        if (any) {
            sources++;
        } else if (!kept) { // every series' list is gone: so is the source
            forget(source, Map.of());
        }
    }

    /** The entries that parse into finite numbers, with how many values each holds; the rest are logged, left out. */
    private List<Readable> readable(String series, List<byte[]> entries) {
        List<Readable> out = new ArrayList<>(entries.size());
        int bad = 0;
        for (byte[] entry : entries) {
            try {
                out.add(new Readable(entry, RoundEntry.parse(entry, HistoryRestorer::requireFinite)));
            } catch (IllegalArgumentException e) {
                bad++;
            }
        }
        if (bad > 0) {
            unreadable += bad;
            Log.warn("restore of " + series + " skipped " + bad + " history entries that do not parse");
        }
        return out;
    }

    private record Readable(byte[] entry, int values) {
    }

    /** Ingest takes finite numbers only; one NaN replayed would leave the window's figures NaN for good. */
    private static void requireFinite(double time, double value) {
        if (!Double.isFinite(time) || !Double.isFinite(value)) {
            throw new IllegalArgumentException("not a history entry: a time or value that is not a finite number");
        }
    }

    private void skip(String what, RedisCommandExecutionException e) {
        unreadable++;
        Log.warn("restore skipped " + what + ": " + e.getMessage());
    }

    /** Replays the last {@code history} values of {@code entries} into {@code s}; returns how many. */
    private long replay(Series s, List<Readable> entries, long updated, String snapshotJson) {
        // an entry holds at least one value: the last `history` entries hold the last `history` values
        long stored = 0;
        for (Readable r : entries) {
            stored += r.values();
        }
        long skip = Math.max(0, stored - history);
        long[] seen = {0};
        synchronized (s.source()) {
            for (Readable r : entries) {
                RoundEntry.parse(r.entry(), (time, value) -> {
                    if (seen[0]++ >= skip) {
                        s.observe(value, time);
                    }
                });
            }
            s.restoreCounters(number(COUNT, snapshotJson), number(ANOMALIES, snapshotJson));
            s.touch(Math.min(updated, now)); // idle since its last snapshot, as far as Redis knows
        }
        return stored - skip;
    }

    /** Removes a source that is not coming back: its series' lists, its hash, its set member. */
    private void forget(String source, Map<String, String> snapshot) {
        for (String metric : snapshot.keySet()) {
            if (!metric.equals(KeySchema.UPDATED_FIELD)) {
                removals.add(redis.del(keys.series(source, metric)));
            }
        }
        removals.add(redis.del(keys.source(source)));
        removals.add(redis.srem(keys.sources(), source));
    }

    /** The reply, or the failure as the runtime exception the caller handles (Redis unreachable at start-up). */
    private static <T> T await(RedisFuture<T> reply) {
        try {
            return reply.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisCommandInterruptedException(e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new RedisException(e.getCause());
        } catch (TimeoutException e) {
            throw new RedisCommandTimeoutException("no reply within " + WAIT.toSeconds() + " s");
        }
    }

    /**
     * When the source's snapshot was last written: 0 without the field (never known alive: expired under a TTL), now
     * when it cannot be read, so that an unreadable field does not delete the source's history as expired.
     */
    private long updated(Map<String, String> snapshot) {
        String text = snapshot.get(KeySchema.UPDATED_FIELD);
        if (text == null) {
            return 0;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return now;
        }
    }

    /** The count {@code p} finds in a snapshot; 0 without one, or past a long. */
    private static long number(Pattern p, String json) {
        Matcher m = p.matcher(json);
        try {
            return m.find() ? Long.parseLong(m.group(1)) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
