package dev.pulse.server.redis;

import dev.pulse.protocol.reply.JsonWriter;
import dev.pulse.server.Log;
import dev.pulse.server.analytics.Series;
import dev.pulse.server.analytics.Source;
import dev.pulse.server.query.SeriesJson;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.HdrHistogram.Recorder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The one thread that writes to Redis: drains the {@link WriteBehindQueue} in chunks and pipelines each chunk
 * (auto-flush off, one {@code flushCommands()}, then wait for every reply), so Redis sees one round trip per chunk:
 * per touched series an RPUSH of its new values and an LTRIM, per touched source an HSET of its snapshots, and one
 * SADD. Per series the values keep their order. A chunk is one MULTI/EXEC transaction, so a connection lost mid-chunk
 * leaves nothing half-written, and a failed chunk is kept and retried with backoff, never dropped.
 *
 * <p>Exactly once: a failure can hide a transaction that was applied (Redis killed after its append-only fsync but
 * before the reply, or a reply slower than the timeout). Each transaction therefore also sets this writer's marker
 * key to the chunk's sequence number, and before a retry the writer reads the marker back: if it already holds
 * the chunk's number, the chunk is counted as written instead of being sent twice. Replies on one connection come
 * in order, so the read cannot overtake a transaction still in flight.
 *
 * <p>Threading: {@link #run} is the writer thread; the counters are read by any thread.
 */
final class RedisWriter implements Runnable {
    /** Most events written in one pipelined round trip. */
    static final int CHUNK_EVENTS = 20_000;
    /** A reply slower than this counts as a failed write. */
    static final long REPLY_TIMEOUT_MS = 10_000;
    private static final long MAX_BACKOFF_MS = 1_000;
    /** A marker outlives any retry by far, then expires so that restarted writers leave no litter. */
    private static final long MARKER_TTL_MS = 86_400_000L;

    private final WriteBehindQueue queue;
    private final StatefulRedisConnection<byte[], byte[]> connection;
    private final KeySchema keys;
    private final int history;
    private final long replyTimeoutMs;
    private final WriteBehindQueue.Chunk chunk = new WriteBehindQueue.Chunk(CHUNK_EVENTS);

    final LongAdder eventsWritten = new LongAdder();
    final LongAdder batchesWritten = new LongAdder();
    final LongAdder writeFailures = new LongAdder();
    final Recorder batchSizes = new Recorder(CHUNK_EVENTS, 2);
    final Recorder writeNanos = new Recorder(3_600_000_000_000L, 2);

    private volatile boolean stopping;        // set by the shutdown thread
    private volatile long stopDeadlineNanos;  // set by the shutdown thread before stopping

    private final byte[] markerKey;
    private long chunkSequence;   // writer thread: number of the chunk in hand
    private boolean uncertain;    // writer thread: the chunk in hand failed, perhaps after Redis applied it

    private final Map<Series, byte[]> seriesKeys = new IdentityHashMap<>(); // writer thread; bounded by the registry's limits
    private final EntryFormat format = new EntryFormat();                    // writer thread

    RedisWriter(WriteBehindQueue queue, StatefulRedisConnection<byte[], byte[]> connection, KeySchema keys, int history,
                long replyTimeoutMs) {
        this.queue = queue;
        this.connection = connection;
        this.keys = keys;
        this.history = history;
        this.replyTimeoutMs = replyTimeoutMs;
        this.markerKey = bytes(keys.writer(UUID.randomUUID().toString()));
    }

    @Override
    public void run() {
        long backoff = 10;
        while (true) {
            if (chunk.size() == 0) {
                if (queue.drainTo(chunk, CHUNK_EVENTS) == 0) {
                    if (stopping) {
                        return;
                    }
                    LockSupport.parkNanos(1_000_000L);
                    continue;
                }
                chunkSequence++;
            }
            if (stopping && System.nanoTime() > stopDeadlineNanos) {
                return;
            }
            long start = System.nanoTime();
            try {
                if (!(uncertain && alreadyWritten())) {
                    write();
                }
                uncertain = false;
                writeNanos.recordValue(Math.min(System.nanoTime() - start, 3_600_000_000_000L));
                batchSizes.recordValue(Math.min(chunk.size(), CHUNK_EVENTS));
                eventsWritten.add(chunk.size());
                batchesWritten.increment();
                chunk.clear();
                backoff = 10;
            } catch (RuntimeException e) {
                uncertain = true;
                writeFailures.increment();
                if (writeFailures.sum() % 50 == 1) {
                    Log.warn("redis write failed, keeping " + chunk.size() + " events to retry: " + e.getMessage());
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoff));
                backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            }
        }
    }

    /** Asks the thread to write what is queued until {@code deadlineNanos}, then return. */
    void stop(long deadlineNanos) {
        stopDeadlineNanos = deadlineNanos;
        stopping = true;
    }

    boolean idle() {
        return chunk.size() == 0 && queue.depth() == 0;
    }

    /** Whether the chunk in hand was applied by an attempt whose reply was lost: its marker is in Redis. */
    private boolean alreadyWritten() {
        RedisFuture<byte[]> marker = connection.async().get(markerKey);
        if (!LettuceFutures.awaitAll(replyTimeoutMs, TimeUnit.MILLISECONDS, marker) || marker.getError() != null) {
            throw new IllegalStateException("could not read the write marker: " + marker.getError());
        }
        byte[] value = marker.toCompletableFuture().join();
        return value != null && Long.toString(chunkSequence).equals(new String(value, StandardCharsets.US_ASCII));
    }

    private void write() {
        Map<Series, List<byte[]>> bySeries = new IdentityHashMap<>();
        Map<Source, List<Series>> bySource = new LinkedHashMap<>();
        for (int i = 0; i < chunk.size(); i++) {
            Series s = chunk.series(i);
            List<byte[]> values = bySeries.get(s);
            if (values == null) {
                values = new ArrayList<>();
                bySeries.put(s, values);
                bySource.computeIfAbsent(s.source(), k -> new ArrayList<>()).add(s);
            }
            values.add(format.entry(chunk.time(i), chunk.value(i)));
        }
        RedisAsyncCommands<byte[], byte[]> redis = connection.async();
        List<RedisFuture<?>> replies = new ArrayList<>(bySeries.size() * 2 + bySource.size() + 1);
        connection.setAutoFlushCommands(false);
        RedisFuture<io.lettuce.core.TransactionResult> exec;
        try {
            redis.multi();
            for (Map.Entry<Series, List<byte[]>> e : bySeries.entrySet()) {
                Series s = e.getKey();
                byte[] key = seriesKeys.computeIfAbsent(s, k -> bytes(keys.series(k.source().name(), k.metric())));
                replies.add(redis.rpush(key, e.getValue().toArray(new byte[0][])));
                replies.add(redis.ltrim(key, -history, -1));
            }
            byte[] now = bytes(Long.toString(System.currentTimeMillis()));
            byte[][] names = new byte[bySource.size()][];
            int n = 0;
            for (Map.Entry<Source, List<Series>> e : bySource.entrySet()) {
                Map<byte[], byte[]> fields = new HashMap<>();
                snapshot(e.getKey(), e.getValue(), fields);
                fields.put(UPDATED, now);
                replies.add(redis.hset(bytes(keys.source(e.getKey().name())), fields));
                names[n++] = bytes(e.getKey().name());
            }
            replies.add(redis.sadd(bytes(keys.sources()), names));
            replies.add(redis.set(markerKey, bytes(Long.toString(chunkSequence)), SetArgs.Builder.px(MARKER_TTL_MS)));
            exec = redis.exec();
            connection.flushCommands();
        } finally {
            connection.setAutoFlushCommands(true);
        }
        if (!LettuceFutures.awaitAll(replyTimeoutMs, TimeUnit.MILLISECONDS, exec)) {
            throw new IllegalStateException("redis did not answer within " + replyTimeoutMs + " ms");
        }
        if (exec.getError() != null || exec.toCompletableFuture().join().wasDiscarded()) {
            throw new IllegalStateException("redis discarded the transaction: " + exec.getError());
        }
        for (RedisFuture<?> f : replies) {
            if (f.getError() != null) {
                throw new IllegalStateException(f.getError());
            }
        }
    }

    private static final byte[] UPDATED = bytes(KeySchema.UPDATED_FIELD);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The /analyze JSON of each series, read under the source's lock. */
    private static void snapshot(Source source, List<Series> series, Map<byte[], byte[]> out) {
        ByteBuf buf = Unpooled.buffer(256);
        JsonWriter w = new JsonWriter().target(buf);
        synchronized (source) {
            for (Series s : series) {
                buf.clear();
                SeriesJson.write(w, s);
                byte[] json = new byte[buf.readableBytes()];
                buf.getBytes(0, json);
                out.put(bytes(s.metric()), json);
            }
        }
    }
}
