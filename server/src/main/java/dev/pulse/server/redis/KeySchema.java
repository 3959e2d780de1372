package dev.pulse.server.redis;

/**
 * What pulse keeps in Redis, every key under {@code REDIS_KEY_PREFIX} (default {@code metrics:}):
 * <ul>
 *   <li>{@code <prefix>series:<source>:<metric>}: a list of {@code "<epoch_seconds> <value>"}, oldest first, trimmed
 *       to the last {@code REDIS_HISTORY} values, each number written as {@link EntryFormat} says;</li>
 *   <li>{@code <prefix>source:<source>}: a hash, one field per metric holding its {@code /analyze} JSON object, and
 *       {@code updated_ms}, the epoch milliseconds of the last write;</li>
 *   <li>{@code <prefix>sources}: the set of source names;</li>
 *   <li>{@code <prefix>writer:<id>}: the number of the last chunk a writer process wrote, so a retry never writes
 *       a chunk twice (see {@link RedisWriter}); it expires a day after the last write.</li>
 * </ul>
 * A metric name has no {@code :}, so the last {@code :} of a series key separates source and metric.
 */
public final class KeySchema {
    public static final String UPDATED_FIELD = "updated_ms";

    private final String prefix;

    public KeySchema(String prefix) {
        this.prefix = prefix;
    }

    public String series(String source, String metric) {
        return prefix + "series:" + source + ":" + metric;
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
