package dev.pulse.server.redis;

/**
 * What pulse keeps in Redis, every key under {@code REDIS_KEY_PREFIX} (default {@code metrics:}):
 * <ul>
 *   <li>{@code <prefix>series:{<source>}:<metric>}: a list with one entry per write round that had values of the
 *       series, oldest first; an entry is that round's {@code (epoch_seconds, value)} pairs, at most its newest
 *       {@code REDIS_HISTORY}, in the compact layout of {@link RoundEntry}; trimmed so that the newest entries hold
 *       at least {@code REDIS_HISTORY} values;</li>
 *   <li>{@code <prefix>source:<source>}: a hash, one field per metric holding its {@code /analyze} JSON object, and
 *       {@code updated_ms}, the epoch milliseconds of the last write;</li>
 *   <li>{@code <prefix>sources}: the set of source names;</li>
 *   <li>{@code <prefix>anomalies}: the anomaly stream replicas share ({@link AnomalyStreamEntry});</li>
 *   <li>{@code <prefix>writer:<id>}: the number of the last chunk a writer process wrote, so a retry never writes
 *       a chunk twice (see {@link RedisWriter}); it expires a day after the last write.</li>
 * </ul>
 * A source name has no <code>}</code> (its alphabet is {@code A-Z a-z 0-9 _ . : -}) while a metric name may hold
 * any printable character, {@code :} and <code>}</code> included: the first <code>}</code> after
 * <code>series:{</code> ends the source, and the rest after the {@code :} that follows it is the metric.
 */
public final class KeySchema {
    public static final String UPDATED_FIELD = "updated_ms";

    private final String prefix;

    public KeySchema(String prefix) {
        this.prefix = prefix;
    }

    public String series(String source, String metric) {
        return prefix + "series:{" + source + "}:" + metric;
    }

    /** The source of a {@link #series} key, or null when {@code key} is not one. */
    public String sourceOf(String key) {
        int start = seriesStart(key);
        return start < 0 ? null : key.substring(start, key.indexOf('}', start));
    }

    /** The metric of a {@link #series} key, or null when {@code key} is not one. */
    public String metricOf(String key) {
        int start = seriesStart(key);
        return start < 0 ? null : key.substring(key.indexOf('}', start) + 2);
    }

    /** Where the source begins in a series key, or -1. */
    private int seriesStart(String key) {
        String head = prefix + "series:{";
        if (!key.startsWith(head)) {
            return -1;
        }
        int close = key.indexOf('}', head.length());
        return close > head.length() && close + 1 < key.length() && key.charAt(close + 1) == ':' ? head.length() : -1;
    }

    public String source(String source) {
        return prefix + "source:" + source;
    }

    public String sources() {
        return prefix + "sources";
    }

    public String writer(String id) {
        return prefix + "writer:" + id;
    }
}
