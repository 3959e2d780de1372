package dev.pulse.server.redis;

import dev.pulse.server.log.Log;
import dev.pulse.server.analytics.Series;
import dev.pulse.server.analytics.SeriesRegistry;
import io.lettuce.core.api.sync.RedisCommands;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Warm restart: rebuilds every series from Redis before the server listens, by replaying its stored history (the last
 * {@code REDIS_HISTORY} values, oldest first) through {@link Series#observe}, so its window, z-score and detector
 * state are what they were; counters come from the stored snapshot. The limits of the registry apply; an expired or
 * deleted series never comes back (see {@link #restore}). Runs once, on
 * the start-up thread; nothing it replays is queued for writing again.
 */
final class HistoryRestorer {
    private static final Pattern COUNT = Pattern.compile("\"count\":(\\d+)");
    private static final Pattern ANOMALIES = Pattern.compile("\"anomalies_total\":(\\d+)");

    /** What a restore brought back. */
    record Restored(int sources, int series, long values) {
    }

    /**
     * @param ttlMillis {@code SERIES_TTL_MS}: a source whose snapshot is older, and a series whose list is gone
     *                  (expired or deleted), are not brought back, and what is left of them is removed; 0: no expiry
     */
    static Restored restore(RedisCommands<String, String> redis, KeySchema keys, SeriesRegistry registry, int history,
                            long ttlMillis) {
        int sources = 0;
        int seriesCount = 0;
        long values = 0;
        long now = System.currentTimeMillis();
        for (String source : redis.smembers(keys.sources())) {
            Map<String, String> snapshot = redis.hgetall(keys.source(source));
            long updated = number(snapshot.get(KeySchema.UPDATED_FIELD));
            if (snapshot.isEmpty() || ttlMillis > 0 && now - updated >= ttlMillis) {
                forget(redis, keys, source, snapshot);
                continue;
            }
            boolean any = false;
            for (Map.Entry<String, String> field : snapshot.entrySet()) {
                if (field.getKey().equals(KeySchema.UPDATED_FIELD)) {
                    continue;
                }
                List<String> entries = redis.lrange(keys.series(source, field.getKey()), -history, -1);
                if (entries.isEmpty()) { // its list expired or was deleted: the series is gone, its field too
                    redis.hdel(keys.source(source), field.getKey());
                    continue;
                }
                Series s = registry.restore(source, field.getKey());
                if (s == null) {
                    Log.warn("restore skipped " + source + "/" + field.getKey() + ": a limit, a rule or a naming rule refused it");
                    continue;
                }
                // an entry holds at least one value: the last `history` entries hold the last `history` values
                long stored = 0;
                for (String entry : entries) {
                    stored += RoundEntry.count(entry);
                }
                long skip = Math.max(0, stored - history);
                long[] seen = {0};
                synchronized (s.source()) {
                    for (String entry : entries) {
                        RoundEntry.parse(entry, (time, value) -> {
                            if (seen[0]++ >= skip) {
                                s.observe(value, time);
                            }
                        });
                    }
                    s.restoreCounters(number(COUNT, field.getValue()), number(ANOMALIES, field.getValue()));
                    s.touch(Math.min(updated, now)); // idle since its last snapshot, as far as Redis knows
                }
                values += stored - skip;
                seriesCount++;
                any = true;
            }
            if (any) {
                sources++;
            } else {
                forget(redis, keys, source, Map.of());
            }
        }
        return new Restored(sources, seriesCount, values);
    }

    /** Removes a source that is not coming back: its series' lists, its hash, its set member. */
    private static void forget(RedisCommands<String, String> redis, KeySchema keys, String source, Map<String, String> snapshot) {
        for (String metric : snapshot.keySet()) {
            if (!metric.equals(KeySchema.UPDATED_FIELD)) {
                redis.del(keys.series(source, metric));
            }
        }
        redis.del(keys.source(source));
        redis.srem(keys.sources(), source);
    }

    private static long number(String text) {
        try {
            return text == null ? 0 : Long.parseLong(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static long number(Pattern p, String json) {
        Matcher m = p.matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
