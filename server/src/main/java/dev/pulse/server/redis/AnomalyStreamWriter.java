package dev.pulse.server.redis;

import dev.pulse.server.analytics.Series;
import dev.pulse.server.anomaly.AnomalyLog;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Copies the {@link AnomalyLog} into the capped Redis stream {@code <prefix>anomalies} that replicas share, inside
 * the {@link RedisWriter}'s transactions: each round takes what the log gained since the last round, adds one
 * {@code XADD ... MAXLEN ~ ANOMALY_LOG_SIZE} per anomaly to the round's transaction, and counts them as written when
 * the transaction is. A round that fails is retried with the same anomalies, so each reaches the stream once.
 *
 * <p>The event loops log an anomaly before its value enters the write-behind queue, so the round that drains the
 * value finds its anomaly. Not thread-safe: the writer thread only.
 */
final class AnomalyStreamWriter {
    /** The stream's fields, as {@link AnomalyStreamReader} reads them. */
    static final String TIME = "t", SOURCE = "source", METRIC = "metric", VALUE = "value", MEAN = "mean",
            STDDEV = "stddev", ZSCORE = "zscore", SCORE = "score", DETECTOR = "detector";
    private static final byte[][] FIELDS = bytes(TIME, SOURCE, METRIC, VALUE, MEAN, STDDEV, ZSCORE, SCORE, DETECTOR);

    private final AnomalyLog log;
    private final byte[] key;
    private final XAddArgs trim;
    private final AnomalyLog.Page page;
    private long written; // writer thread: sequence number of the last anomaly in the stream (0: none yet)
    private boolean taken; // writer thread: the page holds the round in hand

    AnomalyStreamWriter(AnomalyLog log, String keyPrefix) {
        this.log = log;
        this.key = (keyPrefix + "anomalies").getBytes(StandardCharsets.UTF_8);
        this.trim = new XAddArgs().maxlen(log.capacity()).approximateTrimming();
        this.page = new AnomalyLog.Page(log.capacity());
    }

    static String key(String keyPrefix) {
        return keyPrefix + "anomalies";
    }

    /** Takes what the log gained since the last round written; a round being retried keeps its anomalies. */
    void take() {
        if (!taken) {
            log.read(written, null, log.capacity(), page);
            taken = true;
        }
    }

    /** Adds the round's XADDs to the transaction being built. */
    void append(RedisAsyncCommands<byte[], byte[]> redis, List<RedisFuture<?>> replies) {
        for (int i = 0; i < page.size(); i++) {
            Series s = page.series(i);
            replies.add(redis.xadd(key, trim, FIELDS[0], number(page.timeMs(i)),
                    FIELDS[1], s.source().name().getBytes(StandardCharsets.UTF_8),
                    FIELDS[2], s.metric().getBytes(StandardCharsets.UTF_8),
                    FIELDS[3], number(page.value(i)), FIELDS[4], number(page.mean(i)),
                    FIELDS[5], number(page.stddev(i)), FIELDS[6], number(page.zscore(i)),
                    FIELDS[7], number(page.score(i)), FIELDS[8], page.detector(i).getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** The round's transaction was applied. */
    void written() {
        if (taken) {
            written = Math.max(written, page.next());
            taken = false;
        }
    }

    private static byte[] number(double v) {
        return Double.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] number(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[][] bytes(String... names) {
        byte[][] out = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            out[i] = names[i].getBytes(StandardCharsets.US_ASCII);
        }
        return out;
    }
}
