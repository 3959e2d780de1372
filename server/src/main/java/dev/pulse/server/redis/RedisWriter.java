package dev.pulse.server.redis;

import dev.pulse.server.log.Log;
import dev.pulse.server.analytics.Series;
import dev.pulse.server.analytics.Source;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import org.HdrHistogram.Recorder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The one thread that writes to Redis: drains the {@link WriteBehindQueue} into chunks, one a round, at most one
 * round every {@code REDIS_FLUSH_MS} while a chunk has room for what comes ({@link #gather}), and meanwhile into the
 * room the chunk has after the round being built or awaited ({@link #drainBehindRound}), and pipelines each
 * chunk (auto-flush off, one {@code flushCommands()}, then wait for every reply), so Redis sees one round trip per
 * chunk: per touched series one RPUSH of one entry holding the chunk's values of that series, at most its newest
 * {@code REDIS_HISTORY} ({@link RoundEntry}, {@link ChunkBySeries}; the older ones count as written), and,
 * one round in {@value SeriesHistory#SLACK}, an LTRIM that keeps at least {@code REDIS_HISTORY} values
 * ({@link SeriesHistory}); an HSET of the snapshots of the sources that are due one, with one SADD; the anomalies
 * flagged since the stream was last written, once an interval or for a waiting reader ({@link AnomalyStreamWriter}).
 * A source's snapshot is due at most every second while values keep coming, at once when one of its series is new (a
 * restart finds series by their hash field), and for every touched source when the queue is found empty or the
 * writer stops ({@link SnapshotSchedule}), so formatting snapshots costs per source and interval, not per value.
 * Per series the values keep their order ({@link ChunkBySeries}). A chunk is one MULTI/EXEC transaction, so a
 * connection lost mid-chunk leaves nothing half-written, and a failed chunk is kept and retried with backoff, never
 * dropped.
 *
 * <p>Exactly once: a failure can hide a transaction that was applied (Redis killed after its append-only fsync but
 * before the reply, or a reply slower than the timeout). Each transaction therefore also sets this writer's marker
 * key to the round's sequence number, and before a retry the writer reads the marker back: if it already holds
 * the round's number, the round is counted as written instead of being sent twice. Every round is numbered, one of
 * snapshots and removals alone too, since it may carry anomalies. Replies on one connection come
 * in order, so the read cannot overtake a transaction still in flight.
 *
 * <p>Threading: {@link #run} is the writer thread; the counters are read by any thread.
 */
final class RedisWriter implements Runnable {
    /**
     * Most values one round holds, of which it stores at most {@code REDIS_HISTORY} a series: at typical 3-6 bytes a
     * value a transaction of a few MB. Over twice what 400 series' histories of 1,000 values take, so that at 200,000
     * events/s of four metrics from 100 sources a round goes once a second ({@link #gather}). Fewer, larger rounds
     * cost Lettuce, Redis and this thread less per value (per command and per reply); a queue smaller than this makes
     * the chunk its size.
     */
    static final int CHUNK_VALUES = 1_048_576;
    /**
     * How often a writer lingering between rounds (idle or not) looks whether a round is wanted sooner
     * ({@link #roundWanted}). Each look wakes the thread, tens of microseconds of CPU on a small machine, so it looks
     * seldom; a reader waiting for a round and a stop also wake it at once.
     */
    private static final long LINGER_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** How often the wait for a round's reply looks whether its connection dropped. */
    private static final long REPLY_POLL_MS = 20;
    /** A reply slower than this counts as a failed write. */
    static final long REPLY_TIMEOUT_MS = 10_000;
    private static final long MAX_BACKOFF_MS = 1_000;
    /** A marker outlives any retry by far, then expires so that restarted writers leave no litter. */
    private static final long MARKER_TTL_MS = 86_400_000L;
    /** A key Redis refuses refuses every round: one log line in 5 s at most. */
    private static final Log.Limited REFUSALS = Log.limited(5_000);

    private final WriteBehindQueue queue;
    private final StatefulRedisConnection<byte[], byte[]> connection;
    private final KeySchema keys;
    private final int history;
    private final long replyTimeoutMs;
    /**
     * Least time between two rounds while the chunk has room ({@code REDIS_FLUSH_MS}): values wait that much longer
     * for Redis, and each round carries more of them in the same number of entries and commands, which costs Redis,
     * Lettuce and this thread less CPU per value (CPU the event loops share on a small machine).
     */
    private final long lingerNanos;
    private final int chunkValues; // CHUNK_VALUES, or the queue's capacity when smaller
    private final QueueChunk chunk;
    private final AnomalyStreamWriter anomalies; // writer thread; null without an anomaly log

    final LongAdder valuesWritten = new LongAdder();
    final LongAdder batchesWritten = new LongAdder();
    final LongAdder writeFailures = new LongAdder();
    final LongAdder valuesRefused = new LongAdder(); // values of series whose list key Redis refused (another type)
    final Recorder batchSizes = new Recorder(CHUNK_VALUES, 2);
    final Recorder writeNanos = new Recorder(3_600_000_000_000L, 2);

    private volatile Thread runner;           // the writer thread, set as it starts: woken by readers and by stop
    private volatile boolean stopping;        // set by the shutdown thread
    private volatile long stopDeadlineNanos;  // set by the shutdown thread before stopping
    private volatile int valuesInHand;        // set by the writer thread: the chunk's values, taken, not yet written

    private final byte[] markerKey;
    private long roundSequence;   // writer thread: number of the round in hand
    private boolean roundInHand;  // writer thread: a round was started and is not written yet
    private int roundValues;      // writer thread: the chunk's first values, which the round in hand holds
    private boolean uncertain;    // writer thread: the round in hand failed, perhaps after Redis applied it
    private SentRound sent;       // writer thread: the round in hand as last sent, whose success is to be recorded
    private volatile boolean failing; // written by the writer thread: the last round failed (readers do not wait)
    private long lastRoundNanos;  // writer thread: when the last round started, whether it held values or not
    // writer thread: values the chunk in hand left out (ChunkBySeries#dropSuperseded), counted written with its round;
    // held nowhere, so not in valuesInHand: the queue's depth is what memory holds for Redis
    private long superseded;
    private long lastStreamNanos; // writer thread: when a round last took the anomalies (set as the thread starts)
    private boolean streamBehind; // writer thread: a round since then left the anomalies for a later one

    private final SnapshotSchedule snapshotsDue = new SnapshotSchedule();        // writer thread
    private final Map<Series, SeriesHistory> histories = new IdentityHashMap<>(); // writer thread; bounded by the registry's limits
    private final ForgetQueue forgets;
    private final KeyExpiry expiry;
    private final List<ForgetQueue.Forget> removals = new ArrayList<>(); // writer thread: removals of the chunk in hand
    private final ChunkBySeries grouped; // writer thread: the chunk in hand by series
    private final NextRound rounds = new NextRound(); // readers of the anomaly stream waiting for a round

    RedisWriter(WriteBehindQueue queue, StatefulRedisConnection<byte[], byte[]> connection, KeySchema keys, int history,
                long replyTimeoutMs) {
        this(queue, new ForgetQueue(), new KeyExpiry(0), connection, keys, history, replyTimeoutMs, 10, null);
    }

    /**
     * @param forgets   series forgotten in memory, whose keys each round removes before writing values
     * @param flushMs   least time between two drains while less than a chunk is queued
     * @param anomalies the anomaly stream written in the same round, or null
     */
    RedisWriter(WriteBehindQueue queue, ForgetQueue forgets, KeyExpiry expiry,
                StatefulRedisConnection<byte[], byte[]> connection, KeySchema keys, int history, long replyTimeoutMs,
                long flushMs, AnomalyStreamWriter anomalies) {
        this.lingerNanos = TimeUnit.MILLISECONDS.toNanos(flushMs);
        this.forgets = forgets;
        this.expiry = expiry;
        this.anomalies = anomalies;
        this.queue = queue;
        this.chunkValues = (int) Math.min(CHUNK_VALUES, queue.capacity());
        this.chunk = new QueueChunk(chunkValues);
        this.connection = connection;
        this.keys = keys;
        this.history = history;
        this.grouped = new ChunkBySeries(history);
        this.replyTimeoutMs = replyTimeoutMs;
        this.markerKey = bytes(keys.writer(UUID.randomUUID().toString()));
    }

    @Override
    public void run() {
        runner = Thread.currentThread();
        lastStreamNanos = System.nanoTime() - lingerNanos;
        long backoff = 10;
        while (true) {
            if (!roundInHand) {
                long linger = lastRoundNanos + lingerNanos - System.nanoTime();
                if (linger > 0 && !roundWanted() && !(queue.drainDue(chunkValues) && gather())) {
                    LockSupport.parkNanos(Math.min(linger, LINGER_POLL_NANOS));
                    continue;
                }
                // Before the drain and the anomalies: the round carries what its readers wait for.
                boolean awaited = rounds.begin();
                takeIntoRoom();
                roundValues = chunk.size();
                forgets.drainTo(removals, CHUNK_VALUES); // after the values: see ForgetQueue
                lastRoundNanos = System.nanoTime(); // an empty queue, too, is looked at again after the interval
                if (chunk.size() == 0 && snapshotsDue.isEmpty() && removals.isEmpty() && !awaited && !streamBehind) {
                    if (stopping) {
                        return;
                    }
                    continue; // an idle writer lingers, looking every LINGER_POLL_NANOS, rather than spinning
                }
                // a round: of values, or of the snapshots, removals and anomalies due when none were queued
                roundSequence++; // every round, with values or not: each may carry anomalies, which must not go twice
                roundInHand = true;
                takeAnomalies(awaited);
            }
            if (stopping && System.nanoTime() > stopDeadlineNanos) {
                rounds.end(); // its readers read what the stream holds
                return;
            }
            long start = System.nanoTime();
            try {
                long refused = uncertain && alreadyWritten() ? recordWritten(null) : write();
                uncertain = false;
                failing = false;
                roundInHand = false;
                if (anomalies != null) {
                    anomalies.written();
                }
                if (roundValues > 0) {
                    writeNanos.recordValue(Math.min(System.nanoTime() - start, 3_600_000_000_000L));
                    batchSizes.recordValue(Math.min(roundValues, CHUNK_VALUES));
                    valuesWritten.add(roundValues + superseded - refused);
                    valuesRefused.add(refused);
                    batchesWritten.increment();
                    chunk.removeFirst(roundValues); // what the rings gave while it was in flight stays
                    superseded = 0;
                    roundValues = 0;
                    valuesInHand = chunk.size();
                }
                removals.clear();
                rounds.end(); // its readers see the round counted, too
                backoff = 10;
            } catch (RuntimeException e) {
                uncertain = true;
                failing = true;
                writeFailures.increment();
                if (writeFailures.sum() % 50 == 1) {
                    Log.warn("redis write failed, keeping " + roundValues + " values to retry: " + e.getMessage());
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoff));
                backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            }
        }
    }

    /**
     * Completes once a round that starts after this call is written: the anomalies this replica flagged before it
     * are in the stream then. Any thread; a waiting reader makes the writer start that round without lingering. At
     * once while Redis is away or refuses the rounds: no round is near, and the stream is read as it is. Shared by
     * the readers of a round: wait on a {@code copy()}.
     */
    CompletableFuture<Void> nextRound() {
        if (failing || !connection.isOpen()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> next = rounds.next();
        wake();
        return next;
    }

    /**
     * Takes what the rings hold into the chunk in hand between rounds, as far as it has room, so that no ring fills
     * while the writer lingers; once the chunk is seven eighths full, leaves out the values its round would not store
     * (all but the newest {@code REDIS_HISTORY} of each series). Returns whether the round should go now: the chunk
     * is still over half full of values it stores. So a round writes at most {@code REDIS_HISTORY} values a series
     * once an interval, however fast they come, where a round taken each time a ring was a quarter full wrote each
     * value (at 200,000 events/s of four metrics from 100 sources, a round every 0.3 s).
     */
    private boolean gather() {
        takeIntoRoom();
        boolean full = false;
        if (chunk.size() >= chunkValues - chunkValues / 8) {
            superseded += grouped.dropSuperseded(chunk);
            full = chunk.size() > chunkValues / 2;
        }
        valuesInHand = chunk.size();
        return full;
    }

    /**
     * Gives the round starting now what the anomaly log gained (kept on a retry), when its stream is due: once an
     * interval, and at once for a waiting reader or a stop. A round started early (a full chunk, a removal) leaves
     * them to the next one: under load, anomalies come faster than the stream keeps them ({@code ANOMALY_LOG_SIZE},
     * one value in twenty of Gaussian noise flagged by the contract's z-score), and each early round wrote the
     * stream's length again for the next to trim: at 200,000 events/s, when a round came each time a ring was a
     * quarter full, a quarter of the bytes the service sent Redis.
     */
    private void takeAnomalies(boolean awaited) {
        if (anomalies == null) {
            return;
        }
        if (awaited || stopping || lastRoundNanos - lastStreamNanos >= lingerNanos) {
            anomalies.take();
            lastStreamNanos = lastRoundNanos;
            streamBehind = false;
        } else {
            streamBehind = true;
        }
    }

    /** Ends the writer's linger at once (a reader waits, or the server stops). Any thread; it never blocks. */
    private void wake() {
        Thread t = runner;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Whether a round should start before the interval ends: the server stops, a reader waits for one, or a series
     * was forgotten (its keys should not outlive the DELETE by an interval). A filling queue is {@link #gather}ed.
     */
    private boolean roundWanted() {
        return stopping || rounds.wanted() || !forgets.isEmpty();
    }

    /** Values taken from the queue and not written yet: a failed round's, kept for its retry, count as queued. */
    int valuesInHand() {
        return valuesInHand;
    }

    /** Whether the last round failed; cleared by the next one written. */
    boolean failing() {
        return failing;
    }

    /** Asks the thread to write what is queued until {@code deadlineNanos}, then return. */
    void stop(long deadlineNanos) {
        stopDeadlineNanos = deadlineNanos;
        stopping = true;
        wake();
    }

    /** Whether the round in hand was applied by an attempt whose reply was lost: its marker is in Redis. */
    private boolean alreadyWritten() {
        RedisFuture<byte[]> marker = connection.async().get(markerKey);
        if (!LettuceFutures.awaitAll(replyTimeoutMs, TimeUnit.MILLISECONDS, marker) || marker.getError() != null) {
            throw new IllegalStateException("could not read the write marker: " + marker.getError());
        }
        byte[] value = marker.toCompletableFuture().join();
        return value != null && Long.toString(roundSequence).equals(new String(value, StandardCharsets.US_ASCII));
    }

    /**
     * Groups the chunk in hand by series, lets go of what it kept of retired series, and returns the sources with a
     * series new to this writer (their snapshot is due now: a restart finds a series by its hash field).
     */
    private Set<Source> group() {
        forgetLocally(removals);
        grouped.group(chunk, roundValues);
        for (Series s : grouped.retired()) { // expired or deleted since: its keys are being removed, never written again
            histories.remove(s);
        }
        Set<Source> fresh = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Series s : grouped.series()) {
            snapshotsDue.touched(s);
            if (!histories.containsKey(s)) {
                fresh.add(s.source());
            }
        }
        return fresh;
    }

    /**
     * Writes the chunk in hand, its snapshots, removals and anomalies in one transaction; returns how many of its
     * values Redis refused (see {@link #logRefusal}).
     */
    private long write() {
        Set<Source> fresh = group();
        drainBehindRound();
        List<Source> snapshots = snapshotsDue.due(roundValues == 0 || stopping, fresh);
        RedisAsyncCommands<byte[], byte[]> redis = connection.async();
        List<Series> order = grouped.series();
        List<RedisFuture<?>> replies = new ArrayList<>(order.size() * 2 + snapshots.size() + 2);
        long nowMs = System.currentTimeMillis();
        SeriesHistory[] touched = new SeriesHistory[order.size()];
        @SuppressWarnings("unchecked")
        RedisFuture<Long>[] pushes = new RedisFuture[order.size()];
        long[] kept = new long[order.size()]; // entries each list is trimmed to, 0: not trimmed this round
        connection.setAutoFlushCommands(false);
        RedisFuture<TransactionResult> exec;
        sent = new SentRound(order, touched, kept, snapshots, nowMs);
        try {
            redis.multi();
            ForgetQueue.commands(redis, keys, removals, replies);
            for (int k = 0; k < order.size(); k++) {
                Series s = order.get(k);
                SeriesHistory h = histories.computeIfAbsent(s,
                        x -> new SeriesHistory(bytes(keys.series(x.source().name(), x.metric())), history));
                touched[k] = h;
                pushes[k] = redis.rpush(h.key, grouped.entry(k));
                replies.add(pushes[k]);
                kept[k] = h.trimWith(grouped.stored(k));
                if (kept[k] > 0) {
                    replies.add(redis.ltrim(h.key, -kept[k], -1));
                }
                if (expiry.due(s.keysRefreshedMs(), nowMs)) {
                    replies.add(redis.pexpire(h.key, expiry.keyTtlMs()));
                }
                if ((k & 1023) == 1023) {
                    drainBehindRound();
                }
            }
            if (!snapshots.isEmpty()) {
                byte[] now = bytes(Long.toString(nowMs));
                byte[][] names = new byte[snapshots.size()][];
                int n = 0;
                for (Source source : snapshots) {
                    Map<byte[], byte[]> fields = snapshotsDue.fields(source);
                    if (fields.isEmpty()) {
                        continue; // every series of it retired since: nothing to write back
                    }
                    fields.put(UPDATED, now);
                    source.snapshotMs(nowMs);
                    byte[] hash = bytes(keys.source(source.name()));
                    replies.add(redis.hset(hash, fields));
                    if (expiry.due(source.keysRefreshedMs(), nowMs)) {
                        replies.add(redis.pexpire(hash, expiry.keyTtlMs()));
                    }
                    names[n++] = bytes(source.name());
                    if ((n & 255) == 255) {
                        drainBehindRound(); // a snapshot formats every series of its source
                    }
                }
                if (n > 0) {
                    replies.add(redis.sadd(bytes(keys.sources()), Arrays.copyOf(names, n)));
                }
            }
            if (anomalies != null) {
                anomalies.append(redis, replies);
            }
            replies.add(redis.set(markerKey, bytes(Long.toString(roundSequence)), SetArgs.Builder.px(MARKER_TTL_MS)));
            exec = redis.exec();
            connection.flushCommands();
        } finally {
            connection.setAutoFlushCommands(true);
        }
        awaitReply(exec);
        if (exec.getError() != null || exec.toCompletableFuture().join().wasDiscarded()) {
            throw new IllegalStateException("redis discarded the transaction: " + exec.getError());
        }
        long refused = recordWritten(pushes);
        logRefusal(replies, refused);
        return refused;
    }

    /** What a round's success changes here: each list's length and trim, the snapshots and expiries it carried. */
    private record SentRound(List<Series> order, SeriesHistory[] touched, long[] kept, List<Source> snapshots,
                             long nowMs) {
    }

    /**
     * Records the round in hand as written; returns the values of the series whose {@code RPUSH} Redis refused.
     * {@code pushes} null: the round's reply was lost, its marker says Redis applied it, and every push counts as
     * taken (a refusal in it is not known).
     */
    private long recordWritten(RedisFuture<Long>[] pushes) {
        SentRound r = sent;
        sent = null;
        if (r == null) {
            return 0;
        }
        long refused = 0;
        for (int k = 0; k < r.order().size(); k++) {
            if (pushes == null || pushes[k].getError() == null) {
                r.touched()[k].pushed(grouped.stored(k), r.kept()[k]);
            } else {
                refused += grouped.count(k);
            }
        }
        snapshotsDue.written(r.snapshots());
        expiry.written(r.order(), r.snapshots(), r.nowMs());
        return refused;
    }

    /**
     * Logs the first command Redis refused in a round it applied, and the {@code refused} values that cost: those of
     * the series whose {@code RPUSH} it refused. A command fails inside a transaction that ran only when its key holds another
     * type (another program's value under the name): the rest of the transaction was applied, and a retry would fail
     * the same way, so the round counts as written and those values as dropped.
     */
    private static void logRefusal(List<RedisFuture<?>> replies, long refused) {
        for (RedisFuture<?> f : replies) {
            if (f.getError() != null) {
                REFUSALS.warn("redis refused part of a round (" + f.getError() + "): " + refused + " values dropped");
                return;
            }
        }
    }

    /**
     * Waits for the round's reply, taking what fills the rings meanwhile ({@link #drainBehindRound}). A connection
     * that drops never brings the reply (this client does not replay a sent transaction), so the round fails at once
     * and is retried, its marker read first, rather than after the whole reply timeout.
     */
    private void awaitReply(RedisFuture<?> exec) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(replyTimeoutMs);
        while (!LettuceFutures.awaitAll(REPLY_POLL_MS, TimeUnit.MILLISECONDS, exec)) {
            if (!connection.isOpen()) {
                throw new IllegalStateException("the connection to redis dropped with the round in flight");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("redis did not answer within " + replyTimeoutMs + " ms");
            }
            drainBehindRound();
        }
    }

    /**
     * Takes what a ring over half full holds into the room the chunk has after the round in hand, while that round is
     * built and waits for Redis. A round can take over a second: the first ones, while the JIT compiles the writer
     * and Lettuce, with thousands of new keys and snapshots (8,000 series of 2,000 sources: 1.4 s, half of it before
     * the reply was awaited), and at 800,000 values a second a queue of a million values then overflowed.
     */
    private void drainBehindRound() {
        if (chunk.size() < chunkValues && queue.overHalfFull()) {
            takeIntoRoom();
        }
    }

    /** Takes what the rings hold into the room the chunk has left. */
    private void takeIntoRoom() {
        queue.drainTo(chunk, chunkValues - chunk.size());
        valuesInHand = chunk.size();
    }

    /** Drops what this writer keeps of forgotten series and sources, so churn does not grow its maps. */
    private void forgetLocally(List<ForgetQueue.Forget> forgotten) {
        for (ForgetQueue.Forget f : forgotten) {
            for (Series s : f.series()) {
                histories.remove(s);
            }
            snapshotsDue.forget(f);
        }
    }

    private static final byte[] UPDATED = bytes(KeySchema.UPDATED_FIELD);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
