package dev.pulse.server.redis;

import io.lettuce.core.api.sync.RedisCommands;

import java.util.ArrayList;
import java.util.List;

/** What Redis holds of one series, read as a user would: every entry's pairs, oldest first. */
final class StoredHistory {
    private StoredHistory() {
    }

    static String key(String source, String metric) {
        return new KeySchema("metrics:").series(source, metric);
    }

    /** Every stored {@code "<epoch_seconds> <value>"} pair of the series, oldest first. */
    static List<String> pairs(RedisCommands<String, String> redis, String source, String metric) {
        List<String> out = new ArrayList<>();
        for (String entry : redis.lrange(key(source, metric), 0, -1)) {
            out.addAll(List.of(entry.split(",")));
        }
        return out;
    }

    /** The stored values of the series, as written, oldest first. */
    static List<String> values(RedisCommands<String, String> redis, String source, String metric) {
        return pairs(redis, source, metric).stream().map(p -> p.substring(p.indexOf(' ') + 1)).toList();
    }
}
