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
 * state are what they were; counters come from the stored snapshot. The limits of the registry apply. Runs once, on
 * the start-up thread; nothing it replays is queued for writing again.
 */
final class HistoryRestorer {
    private static final Pattern COUNT = Pattern.compile("\"count\":(\\d+)");
    private static final Pattern ANOMALIES = Pattern.compile("\"anomalies_total\":(\\d+)");

    /** What a restore brought back. */
    record Restored(int sources, int series, long values) {
    }

    static Restored restore(RedisCommands<String, String> redis, KeySchema keys, SeriesRegistry registry, int history) {
        int sources = 0;
        int seriesCount = 0;
        long values = 0;
        for (String source : redis.smembers(keys.sources())) {
            Map<String, String> snapshot = redis.hgetall(keys.source(source));
            boolean any = false;
            for (Map.Entry<String, String> field : snapshot.entrySet()) {
                if (field.getKey().equals(KeySchema.UPDATED_FIELD)) {
                    continue;
                }
                Series s = registry.restore(source, field.getKey());
                if (s == null) {
                    Log.warn("restore skipped " + source + "/" + field.getKey() + ": a limit or naming rule refused it");
                    continue;
                }
                // an entry holds at least one value: the last `history` entries hold the last `history` values
                List<String> entries = redis.lrange(keys.series(source, field.getKey()), -history, -1);
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
                }
                values += stored - skip;
                seriesCount++;
                any = true;
            }
            if (any) {
                sources++;
            }
        }
        return new Restored(sources, seriesCount, values);
    }

    private static long number(Pattern p, String json) {
        Matcher m = p.matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
