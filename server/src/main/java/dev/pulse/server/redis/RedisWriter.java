package dev.pulse.server.redis;

import dev.pulse.protocol.reply.JsonWriter;
import dev.pulse.server.log.Log;
import dev.pulse.server.analytics.Series;
import dev.pulse.server.analytics.Source;
import dev.pulse.server.query.SeriesJson;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.CommandType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.HdrHistogram.Recorder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The one thread that writes to Redis: drains the {@link WriteBehindQueue} in chunks and pipelines each chunk
 * (auto-flush off, one {@code flushCommands()}, then wait for every reply), so Redis sees one round trip per chunk:
 * per touched series an RPUSH of its new values and an LTRIM, and an HSET of the snapshots of the sources that are
 * due one (at most every 100 ms per source while the writer is busy, and all of them whenever it catches up, so
 * formatting snapshots never costs more than writing values), with one SADD. Per series the values keep their
 * order. A chunk is one MULTI/EXEC transaction, so a connection lost mid-chunk
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
    /**
     * Least time between two drains while less than a chunk is queued: values wait a few milliseconds longer for
     * Redis, and each round trip carries more of them, which costs Redis, Lettuce and this thread less CPU per value
     * (CPU the event loops share on a small machine).
     */
    static final long LINGER_NANOS = 10_000_000L;
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
    private final AnomalyStreamWriter anomalies; // writer thread; null without an anomaly log

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
    private long lastDrainNanos;  // writer thread: when the chunk in hand, or the last one, was taken from the queue

    /** Under load a source's snapshot is rewritten at most this often; values are written every chunk. */
    private static final long SNAPSHOT_INTERVAL_NANOS = 100_000_000L;
    private final Map<Source, Set<Series>> dirty = new LinkedHashMap<>();        // writer thread: touched since their snapshot
    private final Map<Source, Long> lastSnapshotNanos = new IdentityHashMap<>(); // writer thread; bounded by MAX_SOURCES
    private final Map<Series, byte[]> seriesKeys = new IdentityHashMap<>(); // writer thread; bounded by the registry's limits
    private final Map<Series, int[]> slots = new IdentityHashMap<>(); // writer thread: series -> {index, filled} in a chunk
    private final ForgetQueue forgets;
    private final KeyExpiry expiry;
    private final List<ForgetQueue.Forget> removals = new ArrayList<>(); // writer thread: removals of the chunk in hand
    private final List<Series> order = new ArrayList<>();               // writer thread: a chunk's series, first seen first

    RedisWriter(WriteBehindQueue queue, StatefulRedisConnection<byte[], byte[]> connection, KeySchema keys, int history,
                long replyTimeoutMs) {
        this(queue, new ForgetQueue(), new KeyExpiry(0), connection, keys, history, replyTimeoutMs, null);
    }

    /**
     * @param forgets   series forgotten in memory, whose keys each round removes before writing values
     * @param anomalies the anomaly stream written in the same round, or null
     */
    RedisWriter(WriteBehindQueue queue, ForgetQueue forgets, KeyExpiry expiry,
                StatefulRedisConnection<byte[], byte[]> connection, KeySchema keys, int history, long replyTimeoutMs,
                AnomalyStreamWriter anomalies) {
        this.forgets = forgets;
        this.expiry = expiry;
        this.anomalies = anomalies;
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
            if (chunk.size() == 0 && removals.isEmpty()) {
                long linger = lastDrainNanos + LINGER_NANOS - System.nanoTime();
                if (linger > 0 && !stopping && queue.depth() < CHUNK_EVENTS) {
                    LockSupport.parkNanos(linger);
                    continue;
                }
                int drained = queue.drainTo(chunk, CHUNK_EVENTS);
                forgets.drainTo(removals, CHUNK_EVENTS); // after the values: see ForgetQueue
                if (drained == 0 && removals.isEmpty()) {
                    if (stopping) {
                        return;
                    }
                    LockSupport.parkNanos(1_000_000L);
                    continue;
                }
                chunkSequence++;
                lastDrainNanos = System.nanoTime();
                if (anomalies != null) {
                    anomalies.take();
                }
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
                if (anomalies != null) {
                    anomalies.written();
                }
                writeNanos.recordValue(Math.min(System.nanoTime() - start, 3_600_000_000_000L));
                batchSizes.recordValue(Math.min(chunk.size(), CHUNK_EVENTS));
                eventsWritten.add(chunk.size());
                batchesWritten.increment();
                chunk.clear();
                removals.clear();
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
        // group the chunk's values by series, in order: count first, then fill one pair of arrays per series
        Map<Series, int[]> slots = this.slots;
        List<Series> order = this.order;
        slots.clear();
        order.clear();
        int[] counts = new int[Math.min(chunk.size(), 1024)];
        boolean newSeries = false;
        forgetLocally(removals);
        for (int i = 0; i < chunk.size(); i++) {
            Series s = chunk.series(i);
            int[] slot = slots.get(s);
            if (slot == null) {
                if (s.retired()) { // expired or deleted since: its keys are being removed, never written again
                    seriesKeys.remove(s);
                    continue;
                }
                slot = new int[] {order.size(), 0};
                slots.put(s, slot);
                order.add(s);
                if (counts.length == slot[0]) {
                    counts = Arrays.copyOf(counts, counts.length * 2);
                }
                dirty.computeIfAbsent(s.source(), k -> Collections.newSetFromMap(new IdentityHashMap<>())).add(s);
                newSeries |= !seriesKeys.containsKey(s);
            }
            counts[slot[0]]++;
        }
        double[][] times = new double[order.size()][];
        double[][] values = new double[order.size()][];
        for (int k = 0; k < order.size(); k++) {
            times[k] = new double[counts[k]];
            values[k] = new double[counts[k]];
        }
        for (int i = 0; i < chunk.size(); i++) {
            int[] slot = slots.get(chunk.series(i));
            if (slot == null) {
                continue; // retired
            }
            int k = slot[0];
            times[k][slot[1]] = chunk.time(i);
            values[k][slot[1]++] = chunk.value(i);
        }
        List<Source> snapshots = dueSnapshots(newSeries || queue.depth() == 0);
        RedisAsyncCommands<byte[], byte[]> redis = connection.async();
        List<RedisFuture<?>> replies = new ArrayList<>(order.size() * 2 + snapshots.size() + 2);
        long nowMs = System.currentTimeMillis();
        connection.setAutoFlushCommands(false);
        RedisFuture<TransactionResult> exec;
        try {
            redis.multi();
            ForgetQueue.commands(redis, keys, removals, replies);
            for (int k = 0; k < order.size(); k++) {
                Series s = order.get(k);
                byte[] key = seriesKeys.computeIfAbsent(s, x -> bytes(keys.series(x.source().name(), x.metric())));
                replies.add(redis.dispatch(CommandType.RPUSH, new IntegerOutput<>(ByteArrayCodec.INSTANCE),
                        new HistoryPush(key, times[k], values[k])));
                replies.add(redis.ltrim(key, -history, -1));
                if (expiry.due(s.keysRefreshedMs(), nowMs)) {
                    replies.add(redis.pexpire(key, expiry.keyTtlMs()));
                }
            }
            if (!snapshots.isEmpty()) {
                byte[] now = bytes(Long.toString(System.currentTimeMillis()));
                byte[][] names = new byte[snapshots.size()][];
                int n = 0;
                for (Source source : snapshots) {
                    Map<byte[], byte[]> fields = new HashMap<>();
                    snapshot(source, dirty.get(source), fields);
                    if (fields.isEmpty()) {
                        continue; // every series of it retired since: nothing to write back
                    }
                    fields.put(UPDATED, now);
                    byte[] hash = bytes(keys.source(source.name()));
                    replies.add(redis.hset(hash, fields));
                    if (expiry.due(source.keysRefreshedMs(), nowMs)) {
                        replies.add(redis.pexpire(hash, expiry.keyTtlMs()));
                    }
                    names[n++] = bytes(source.name());
                }
                if (n > 0) {
                    replies.add(redis.sadd(bytes(keys.sources()), Arrays.copyOf(names, n)));
                }
            }
            if (anomalies != null) {
                anomalies.append(redis, replies);
            }
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
        long now = System.nanoTime();
        for (Source source : snapshots) {
            dirty.remove(source);
            lastSnapshotNanos.put(source, now);
        }
        expiry.written(order, snapshots, nowMs);
    }

    /** Drops what this writer keeps of forgotten series and sources, so churn does not grow its maps. */
    private void forgetLocally(List<ForgetQueue.Forget> forgotten) {
        for (ForgetQueue.Forget f : forgotten) {
            Set<Series> touched = dirty.get(f.source());
            for (Series s : f.series()) {
                seriesKeys.remove(s);
                if (touched != null) {
                    touched.remove(s);
                }
            }
            if (f.sourceGone() || touched != null && touched.isEmpty()) {
                dirty.remove(f.source());
            }
            if (f.sourceGone()) {
                lastSnapshotNanos.remove(f.source());
            }
        }
    }

    /**
     * The sources whose snapshot hash this chunk rewrites: every source touched since its last snapshot when
     * {@code all} (the writer has caught up, or a series is new and its hash field is what a restart finds it by),
     * else those whose last snapshot is older than {@link #SNAPSHOT_INTERVAL_NANOS}.
     */
    private List<Source> dueSnapshots(boolean all) {
        List<Source> due = new ArrayList<>();
        long now = System.nanoTime();
        for (java.util.Iterator<Source> it = dirty.keySet().iterator(); it.hasNext(); ) {
            Source source = it.next();
            if (source.retired()) { // forgotten while its removal was dropped (queue full): let go of it here
                it.remove();
                lastSnapshotNanos.remove(source);
                continue;
            }
            Long last = lastSnapshotNanos.get(source);
            if (all || last == null || now - last >= SNAPSHOT_INTERVAL_NANOS) {
                due.add(source);
            }
        }
        return due;
    }

    private static final byte[] UPDATED = bytes(KeySchema.UPDATED_FIELD);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The /analyze JSON of each series, read under the source's lock. */
    private static void snapshot(Source source, Set<Series> series, Map<byte[], byte[]> out) {
        ByteBuf buf = Unpooled.buffer(256);
        JsonWriter w = new JsonWriter().target(buf);
        synchronized (source) {
            for (Series s : series) {
                if (s.retired()) {
                    continue;
                }
                buf.clear();
                SeriesJson.write(w, s);
                byte[] json = new byte[buf.readableBytes()];
                buf.getBytes(0, json);
                out.put(bytes(s.metric()), json);
            }
        }
    }
}
