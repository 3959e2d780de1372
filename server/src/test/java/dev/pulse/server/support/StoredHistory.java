package dev.pulse.server.support;

import dev.pulse.server.redis.KeySchema;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * What Redis holds of one series, read as a user would from the README's description of the layout (a tag byte 1,
 * then per value a header byte, its time and its value), decoded here independently of the writer's code.
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
            if (entry.length > 0 && entry[0] != 1) { // the older text layout, as it is
                out.add(new String(entry, java.nio.charset.StandardCharsets.US_ASCII));
                continue;
            }
            ByteBuffer b = ByteBuffer.wrap(entry, 1, entry.length - 1).order(ByteOrder.LITTLE_ENDIAN);
            List<String> pairs = new ArrayList<>();
            double time = 0;
            while (b.hasRemaining()) {
                int header = b.get();
                int timeForm = header >> 3 & 3;
                int valueForm = header & 7;
                if (timeForm == 1) {
                    time = (long) time + zigzag(b);
                } else if (timeForm == 2) {
                    time = b.getDouble();
                } else if (timeForm == 3) {
                    time = Double.longBitsToDouble(Double.doubleToRawLongBits(time) + zigzag(b));
                }
                double value = valueForm == 7 ? b.getDouble() : zigzag(b) / Math.pow(10, valueForm);
                pairs.add(text(time) + " " + text(value));
            }
            out.add(String.join(",", pairs));
        }
        return out;
    }

    private static long zigzag(ByteBuffer b) {
        long z = 0;
        for (int shift = 0; ; shift += 7) {
            byte x = b.get();
            z |= (long) (x & 0x7f) << shift;
            if (x >= 0) {
                return z >>> 1 ^ -(z & 1);
            }
        }
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
