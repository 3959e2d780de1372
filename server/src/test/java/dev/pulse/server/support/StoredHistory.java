package dev.pulse.server.support;

import dev.pulse.server.redis.KeySchema;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * What Redis holds of one series, read as a user would from the README's description of the layout (a tag byte 1,
 * then per value two little-endian doubles: epoch seconds, value), decoded here independently of the writer's code.
 * Each pair is rendered {@code "<epoch_seconds> <value>"}, a whole number without a fraction.
 */
public final class StoredHistory {
    private StoredHistory() {
    }

    public static String key(String source, String metric) {
        return new KeySchema("metrics:").series(source, metric);
    }

    /** Every entry of the series, oldest first, its pairs joined by {@code ","}. */
    public static List<String> entries(RedisProcess redis, String source, String metric) {
        List<String> out = new ArrayList<>();
        for (byte[] entry : redis.bytes().lrange(key(source, metric), 0, -1)) {
            if (entry.length == 0 || entry[0] != 1 || (entry.length - 1) % 16 != 0) {
                throw new AssertionError("not an entry of the documented layout: " + entry.length + " bytes");
            }
            ByteBuffer b = ByteBuffer.wrap(entry, 1, entry.length - 1).order(ByteOrder.LITTLE_ENDIAN);
            List<String> pairs = new ArrayList<>();
            while (b.hasRemaining()) {
                pairs.add(text(b.getDouble()) + " " + text(b.getDouble()));
            }
            out.add(String.join(",", pairs));
        }
        return out;
    }

    /** Every stored {@code "<epoch_seconds> <value>"} pair of the series, oldest first. */
    public static List<String> pairs(RedisProcess redis, String source, String metric) {
        List<String> out = new ArrayList<>();
        for (String entry : entries(redis, source, metric)) {
            out.addAll(List.of(entry.split(",")));
        }
        return out;
    }

    /** The stored values of the series, oldest first. */
    public static List<String> values(RedisProcess redis, String source, String metric) {
        return pairs(redis, source, metric).stream().map(p -> p.substring(p.indexOf(' ') + 1)).toList();
    }

    private static String text(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
