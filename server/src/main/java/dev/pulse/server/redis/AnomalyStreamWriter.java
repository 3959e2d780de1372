package dev.pulse.server.redis;

import dev.pulse.server.analytics.Series;
import dev.pulse.server.anomaly.AnomalyLog;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.XTrimArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Copies the {@link AnomalyLog} into the Redis stream {@code <prefix>anomalies} that replicas share, inside the
 * {@link RedisWriter}'s transactions. A round that takes them adds what the log gained since the last one as one
 * stream entry per {@value #PER_ENTRY} anomalies ({@link AnomalyStreamEntry}: names as text, numbers as raw bits),
 * so the stream costs Redis, Lettuce and this thread per round, not per anomaly (the contract's z-score flags about
 * one value in twenty of Gaussian noise), and no number is formatted until someone reads it. A round that fails is
 * retried with the same anomalies, so each reaches the stream once.
 *
 * <p>The stream is trimmed by this writer to its own newest {@code ANOMALY_LOG_SIZE} anomalies: once the entries it
 * wrote hold more, an {@code XTRIM MINID} drops every entry older than the oldest one it keeps (other replicas'
 * older entries too), so the stream holds at least that many and at most about that many per replica.
 *
 * <p>The event loops log an anomaly before its value enters the write-behind queue, so the round that drains the
 * value finds its anomaly. Not thread-safe: the writer thread only.
 */
final class AnomalyStreamWriter {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Most anomalies in one stream entry: a reader's page of entries stays a few megabytes at most. */
    static final int PER_ENTRY = 128;
    /**
     * Most anomalies one round takes: the page is preallocated, and a log of millions (ANOMALY_LOG_SIZE) would double
     * its memory; a longer backlog goes in the next rounds, at this many a round (about 160,000 a second).
     */
    static final int PER_ROUND = 16_384;

    private final AnomalyLog log;
    private final byte[] key;
    private final int keep;
    private final AnomalyLog.Page page;
    private final ByteBuf sources = Unpooled.buffer(1024); // the entry being built: its sources, one per line,
    private final ByteBuf metrics = Unpooled.buffer(2048); // its metrics, one per line,
    private final ByteBuf detectors = Unpooled.buffer(512); // its detectors, one per line,
    private final byte[] numbers = new byte[PER_ENTRY * AnomalyStreamEntry.NUMBERS_BYTES]; // and its numbers
    private final List<Added> added = new ArrayList<>();               // the round's XADDs, for their ids
    private final ArrayDeque<Kept> kept = new ArrayDeque<>();          // this writer's entries in the stream, oldest first
    private long keptAnomalies;  // the anomalies in kept
    private String trimBelow;    // id of the oldest entry to keep once kept outgrew ANOMALY_LOG_SIZE; null: no trim due
    private long written;        // sequence number of the last anomaly in the stream (0: none yet)
    private boolean taken;       // the page holds the round in hand
    // every field above: the writer thread's

    private record Kept(String id, int count) {
    }

    private record Added(RedisFuture<String> id, int count) {
    }

    AnomalyStreamWriter(AnomalyLog log, String keyPrefix) {
        this.log = log;
        this.key = key(keyPrefix).getBytes(StandardCharsets.UTF_8);
        this.keep = log.capacity();
        this.page = new AnomalyLog.Page(Math.min(log.capacity(), PER_ROUND));
    }

    static String key(String keyPrefix) {
        return keyPrefix + "anomalies";
    }

    /**
     * Takes what the log gained since the last round written into the round starting; a round being retried keeps its
     * anomalies. A round that does not take them writes none.
     */
    void take() {
        if (!taken) {
            log.read(written, null, Math.min(log.capacity(), PER_ROUND), page);
            taken = true;
        }
    }

    /** Adds the round's trim and XADDs to the transaction being built: nothing unless the round {@link #take}s. */
    void append(RedisAsyncCommands<byte[], byte[]> redis, List<RedisFuture<?>> replies) {
        added.clear();
        if (!taken) {
            return;
        }
        if (trimBelow != null) {
            replies.add(redis.xtrim(key, XTrimArgs.Builder.minId(trimBelow)));
        }
        for (int from = 0; from < page.size(); from += PER_ENTRY) {
            int to = Math.min(page.size(), from + PER_ENTRY);
            sources.clear();
            metrics.clear();
            detectors.clear();
            for (int i = from; i < to; i++) {
                Series s = page.series(i);
                if (i > from) {
                    sources.writeByte('\n');
                    metrics.writeByte('\n');
                    detectors.writeByte('\n');
                }
                sources.writeCharSequence(s.source().name(), StandardCharsets.US_ASCII);
                metrics.writeCharSequence(s.metric(), StandardCharsets.UTF_8);
                detectors.writeCharSequence(page.detector(i), StandardCharsets.US_ASCII);
                int at = (i - from) * AnomalyStreamEntry.NUMBERS_BYTES;
                LONGS.set(numbers, at, page.timeMs(i));
                LONGS.set(numbers, at + 8, Double.doubleToRawLongBits(page.value(i)));
                LONGS.set(numbers, at + 16, Double.doubleToRawLongBits(page.mean(i)));
                LONGS.set(numbers, at + 24, Double.doubleToRawLongBits(page.stddev(i)));
                LONGS.set(numbers, at + 32, Double.doubleToRawLongBits(page.zscore(i)));
                LONGS.set(numbers, at + 40, Double.doubleToRawLongBits(page.score(i)));
            }
            RedisFuture<String> id = redis.xadd(key,
                    AnomalyStreamEntry.COUNT_FIELD, Integer.toString(to - from).getBytes(StandardCharsets.US_ASCII),
                    AnomalyStreamEntry.SOURCES_FIELD, bytes(sources), AnomalyStreamEntry.METRICS_FIELD, bytes(metrics),
                    AnomalyStreamEntry.DETECTORS_FIELD, bytes(detectors), AnomalyStreamEntry.NUMBERS_FIELD,
                    Arrays.copyOf(numbers, (to - from) * AnomalyStreamEntry.NUMBERS_BYTES));
            replies.add(id);
            added.add(new Added(id, to - from));
        }
    }

    /** The round's transaction was applied. */
    void written() {
        if (!taken) {
            return;
        }
        written = Math.max(written, page.next());
        taken = false;
        trimBelow = null; // a trim due went with the round
        for (Added a : added) {
            RedisFuture<String> f = a.id();
            if (f.isDone() && f.getError() == null) { // an id lost with a reply: a later trim drops that entry anyway
                kept.addLast(new Kept(f.toCompletableFuture().join(), a.count()));
                keptAnomalies += a.count();
            }
        }
        added.clear();
        boolean dropped = false;
        while (!kept.isEmpty() && keptAnomalies - kept.peekFirst().count() >= keep) {
            keptAnomalies -= kept.removeFirst().count();
            dropped = true;
        }
        if (dropped) {
            trimBelow = kept.peekFirst().id();
        }
    }

    private static byte[] bytes(ByteBuf buf) {
        byte[] out = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), out);
        return out;
    }
}
