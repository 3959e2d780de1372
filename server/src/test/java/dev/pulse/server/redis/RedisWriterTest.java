package dev.pulse.server.redis;

import dev.pulse.protocol.event.BodyFormat;
import dev.pulse.protocol.event.EventBatch;
import dev.pulse.protocol.event.EventDecoder;
import dev.pulse.server.analytics.BatchApplier;
import dev.pulse.server.analytics.Series;
import dev.pulse.server.analytics.SeriesRegistry;
import dev.pulse.server.anomaly.AnomalyLog;
import dev.pulse.server.analytics.detect.Detectors;
import dev.pulse.server.config.Config;
import dev.pulse.server.config.QueueFullPolicy;
import dev.pulse.server.support.StoredHistory;
import dev.pulse.server.support.Await;
import dev.pulse.server.support.RedisProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The writer alone against a real redis-server: a transaction whose reply is lost is not written twice; a long flush
 * interval does not let the queue overflow: the writer takes what a filling ring holds and keeps only what a round
 * stores, and starts a round once that fills its chunk; the rounds a full chunk or a removal starts leave the
 * anomaly stream to the next round due; a round stores at most the history of a busy series, leaving no gap; a
 * round waiting for Redis leaves the rest of the chunk to what the rings fill with meanwhile.
 */
@Timeout(120)
class RedisWriterTest {
    private final SeriesRegistry registry = new SeriesRegistry(10, 4, 50, Detectors.factory(Config.defaults()));
    private final WriteBehindQueue queue = new WriteBehindQueue(1000, QueueFullPolicy.DROP);

    @Test
    void aTransactionAppliedAfterItsReplyTimedOutIsNotWrittenAgain() throws Exception {
        apply(new BatchApplier(registry, queue), "once", 0, 100, i -> i);

        withRedis((redis, client, connection) -> {
            try (StatefulRedisConnection<String, String> sleeper = client.connect()) {
                // Redis sleeps 1 s; the writer waits 200 ms for its reply, then gives up, though Redis applies it later
                CompletableFuture<String> asleep = RedisProcess.debugSleep(sleeper, 1);
                RedisWriter writer = new RedisWriter(queue, connection, new KeySchema("metrics:"), 1000, 200);
                Thread thread = start(writer);
                asleep.join();
                Await.until("the chunk to be written", () -> writer.valuesWritten.sum() >= 100);
                stop(writer, thread);

                assertTrue(writer.writeFailures.sum() >= 1, "the first attempt timed out");
                assertEquals(100, writer.valuesWritten.sum());
                assertEquals(100, StoredHistory.pairs(redis, "once", "cpu").size(), "written once, not twice");
                assertEquals("1700000099 99", StoredHistory.pairs(redis, "once", "cpu").get(99));
            }
        });
    }

    @Test
    void aRoundWithoutValuesAppliedAfterItsReplyTimedOutDoesNotAddItsAnomaliesTwice() throws Exception {
        AnomalyLog log = new AnomalyLog(100, s -> "zscore");
        apply(new BatchApplier(registry, queue, log), "feed", 0, 60, CALM_THEN_SPIKE);
        AnomalyLog.Page page = new AnomalyLog.Page(100);
        log.read(0, null, 100, page);
        assertEquals(1, page.size(), "the spike");
        Series spiked = page.series(0);

        withRedis((redis, client, connection) -> {
            try (StatefulRedisConnection<String, String> sleeper = client.connect()) {
                ForgetQueue forgets = new ForgetQueue();
                RedisWriter writer = new RedisWriter(queue, forgets, new KeyExpiry(0), connection,
                        new KeySchema("metrics:"), 1000, 200, 10, new AnomalyStreamWriter(log, "metrics:"));
                Thread thread = start(writer);
                Await.until("the values and the spike written", () -> writer.valuesWritten.sum() == 60
                        && redis.commands().xlen("metrics:anomalies") == 1);

                // Redis sleeps 1 s; a round of no values (a removal) with two anomalies times out after 200 ms,
                // and Redis applies it later
                CompletableFuture<String> asleep = RedisProcess.debugSleep(sleeper, 1);
                log.flagged(spiked, 1_700_000_060, 2000, 10.5, 0.5, 3979, 1);
                log.flagged(spiked, 1_700_000_061, 3000, 10.5, 0.5, 5979, 1);
                forgets.forgotten(spiked.source(), new Series[] {spiked}, true, true);
                asleep.join();
                Await.until("the round to time out", () -> writer.writeFailures.sum() >= 1);
                stop(writer, thread); // it settles the round in hand, then stops

                assertEquals(2, redis.commands().xlen("metrics:anomalies"), "the round's entry once, not twice");
                assertEquals(0, redis.commands().exists("metrics:series:{feed}:cpu"), "the removal was applied");
            }
        });
    }

    @Test
    void aLongFlushIntervalStillTakesARoundOnceItsChunkIsOverHalfFullOfValuesItStores() throws Exception {
        BatchApplier applier = new BatchApplier(registry, queue);
        apply(applier, "linger", 0, 100, i -> i % 7);

        withRedis((redis, client, connection) -> {
            RedisWriter writer = lingering(connection, 1000, null);
            Thread thread = start(writer);
            Await.until("the first round, taken at once", () -> writer.valuesWritten.sum() == 100);

            apply(applier, "linger", 100, 880, i -> i % 7); // seven eighths of the chunk, all of them stored
            Await.until("the 880 values written before the interval ends", () -> writer.valuesWritten.sum() == 980);
            stop(writer, thread);

            assertEquals(0, queue.dropped());
            assertEquals(980, StoredHistory.pairs(redis, "linger", "cpu").size());
        });
    }

    @Test
    void aLongFlushIntervalTakesAFillingRingAndKeepsOnlyTheNewestHistoryOfEachSeriesForItsRound() throws Exception {
        BatchApplier applier = new BatchApplier(registry, queue);
        apply(applier, "busy", 0, 100, i -> i);

        withRedis((redis, client, connection) -> {
            RedisWriter writer = lingering(connection, 100, null); // a history of 100 values
            Thread thread = start(writer);
            Await.until("the first round, taken at once", () -> writer.valuesWritten.sum() == 100);

            apply(applier, "busy", 100, 300, i -> i); // a quarter of the ring: taken, no round
            Await.until("the 300 values taken", () -> queue.depth() == 0 && writer.valuesInHand() == 300);
            apply(applier, "busy", 400, 600, i -> i); // the chunk seven eighths full: its older values left out
            Await.until("the 600 values taken, the newest 100 kept", () -> queue.depth() == 0
                    && writer.valuesInHand() == 100);
            assertEquals(100, writer.valuesWritten.sum(), "no round before the interval");
            assertEquals(100, StoredHistory.pairs(redis, "busy", "cpu").size());

            writer.nextRound().get(10, TimeUnit.SECONDS); // a reader's round
            assertEquals(1000, writer.valuesWritten.sum(), "the values left out count as written");
            assertEquals(0, writer.valuesInHand());
            var stored = StoredHistory.pairs(redis, "busy", "cpu");
            assertEquals(100, stored.size(), "the newest history, in one entry");
            assertEquals("1700000900 900", stored.get(0));
            assertEquals("1700000999 999", stored.get(99));
            stop(writer, thread);
            assertEquals(0, queue.dropped());
        });
    }

    @Test
    void whileARoundWaitsForRedisTheWriterTakesAFillingRingIntoTheRoomItsChunkHasLeft() throws Exception {
        BatchApplier applier = new BatchApplier(registry, queue);
        apply(applier, "slow", 0, 100, i -> i);

        withRedis((redis, client, connection) -> {
            try (StatefulRedisConnection<String, String> sleeper = client.connect()) {
                // a history of 2,000 values: nothing is trimmed
                RedisWriter writer = new RedisWriter(queue, connection, new KeySchema("metrics:"), 2000, 10_000);
                Thread thread = start(writer);
                Await.until("the first round written", () -> writer.valuesWritten.sum() == 100);

                CompletableFuture<String> asleep = RedisProcess.debugSleep(sleeper, 3); // the next round waits
                apply(applier, "slow", 100, 100, i -> i);
                Await.until("a round of 100 in flight", () -> queue.depth() == 0 && writer.valuesInHand() == 100);
                apply(applier, "slow", 200, 600, i -> i); // over half the ring
                Await.until("the 600 taken while the round waits", () -> queue.depth() == 0
                        && writer.valuesInHand() == 700);
                apply(applier, "slow", 800, 1000, i -> i); // a ring's worth more: 1,600 values behind the round
                assertEquals(0, writer.valuesWritten.sum() - 100, "Redis still asleep");
                asleep.join();
                Await.until("everything written", () -> writer.valuesWritten.sum() == 1800);
                stop(writer, thread);

                assertEquals(0, queue.dropped(), "the ring never overflowed");
                var stored = StoredHistory.pairs(redis, "slow", "cpu");
                assertEquals(1800, stored.size());
                for (int i = 0; i < 1800; i++) {
                    assertEquals((1_700_000_000 + i) + " " + i, stored.get(i), "in order");
                }
            }
        });
    }

    @Test
    void aRoundStartedEarlyByAFillingRingLeavesTheAnomaliesToTheNextRoundDue() throws Exception {
        AnomalyLog log = new AnomalyLog(100, s -> "zscore");
        BatchApplier applier = new BatchApplier(registry, queue, log);
        apply(applier, "feed", 0, 60, CALM_THEN_SPIKE);

        withRedis((redis, client, connection) -> {
            RedisWriter writer = lingering(connection, 1000, new AnomalyStreamWriter(log, "metrics:"));
            Thread thread = start(writer);
            Await.until("the first round, values and spike", () -> writer.valuesWritten.sum() == 60
                    && redis.commands().xlen("metrics:anomalies") == 1);

            apply(applier, "feed", 60, 900, i -> i == 959 ? 1000 : 10 + i % 2); // most of the chunk, a spike
            Await.until("the early round written", () -> writer.valuesWritten.sum() == 960);
            assertEquals(1, redis.commands().xlen("metrics:anomalies"), "the early round left the spike");

            writer.nextRound().get(10, TimeUnit.SECONDS); // a reader's round carries it at once
            assertEquals(2, redis.commands().xlen("metrics:anomalies"));
            stop(writer, thread);
        });
    }

    @Test
    void anomaliesLeftByAnEarlyRoundOfRemovalsAloneGoOutAtTheInterval() throws Exception {
        AnomalyLog log = new AnomalyLog(100, s -> "zscore");
        BatchApplier applier = new BatchApplier(registry, queue, log);
        apply(applier, "feed", 0, 60, CALM_THEN_SPIKE);
        apply(applier, "gone", 0, 20, i -> 10);
        Series spiked = registry.restore("feed", "cpu");
        Series gone = registry.restore("gone", "cpu");

        withRedis((redis, client, connection) -> {
            ForgetQueue forgets = new ForgetQueue();
            RedisWriter writer = new RedisWriter(queue, forgets, new KeyExpiry(0), connection,
                    new KeySchema("metrics:"), 1000, 10_000, 5_000, new AnomalyStreamWriter(log, "metrics:"));
            Thread thread = start(writer);
            Await.until("the first round, values and spike", () -> writer.valuesWritten.sum() == 80
                    && redis.commands().xlen("metrics:anomalies") == 1);

            // an anomaly, then a removal: a round at once, of the removal alone, which leaves the anomaly; no
            // value and no snapshot is due after it, so only the anomaly left over brings the round at the interval
            log.flagged(spiked, 1_700_000_060, 2000, 10.5, 0.5, 3979, 1);
            forgets.forgotten(gone.source(), new Series[] {gone}, true, true);
            Await.until("the removal applied", () -> redis.commands().exists("metrics:series:{gone}:cpu") == 0);
            Await.until("the anomaly written within an interval", () ->
                    redis.commands().xlen("metrics:anomalies") == 2);
            stop(writer, thread);
        });
    }

    @Test
    void aRoundStoresOnlyTheNewestHistoryOfABusySeriesAndCountsEveryValueWritten() throws Exception {
        BatchApplier applier = new BatchApplier(registry, queue);
        apply(applier, "busy", 0, 250, i -> i);
        apply(applier, "calm", 0, 20, i -> i);

        withRedis((redis, client, connection) -> {
            // a history of 100 values: the busy series' 250 in one round store its newest 100
            RedisWriter writer = new RedisWriter(queue, connection, new KeySchema("metrics:"), 100, 10_000);
            Thread thread = start(writer);
            Await.until("the round written", () -> writer.valuesWritten.sum() == 270);
            apply(applier, "busy", 250, 30, i -> i);
            Await.until("the next round written", () -> writer.valuesWritten.sum() == 300);
            apply(applier, "calm", 20, 150, i -> i); // after an entry of 20 values, one of 150 that leaves 50 out
            Await.until("the last round written", () -> writer.valuesWritten.sum() == 450);
            stop(writer, thread);

            assertEquals(0, queue.dropped());
            var busy = StoredHistory.pairs(redis, "busy", "cpu");
            assertEquals(130, busy.size(), "the newest 100 of the first round, then the 30 of the next");
            assertEquals("1700000150 150", busy.get(0));
            assertEquals("1700000279 279", busy.get(129));
            var calm = StoredHistory.pairs(redis, "calm", "cpu");
            assertEquals(100, calm.size(), "trimmed to the entry at once: no gap before it");
            assertEquals("1700000070 70", calm.get(0));
            assertEquals("1700000169 169", calm.get(99));
        });
    }

    /** What a test does with a fresh redis-server, a client of it and a binary connection. */
    private interface RedisCheck {
        void run(RedisProcess redis, RedisClient client, StatefulRedisConnection<byte[], byte[]> connection)
                throws Exception;
    }

    /** Runs {@code check} against a fresh redis-server, then shuts its client down and the server. */
    private static void withRedis(RedisCheck check) throws Exception {
        try (RedisProcess redis = new RedisProcess()) {
            RedisClient client = RedisClient.create("redis://" + redis.address());
            try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
                check.run(redis, client, connection);
            } finally {
                client.shutdown();
            }
        }
    }

    /**
     * A writer of this test's queue whose rounds come at most every ten minutes, unless its chunk fills or a reader
     * asks for one sooner.
     */
    private RedisWriter lingering(StatefulRedisConnection<byte[], byte[]> connection, int history,
                                  AnomalyStreamWriter anomalies) {
        return new RedisWriter(queue, new ForgetQueue(), new KeyExpiry(0), connection, new KeySchema("metrics:"),
                history, 10_000, 600_000, anomalies);
    }

    /** Values 10 and 11 in turn, then 1000 at second 59: the contract's z-score flags that one alone. */
    private static final IntUnaryOperator CALM_THEN_SPIKE = i -> i == 59 ? 1000 : 10 + i % 2;

    private static Thread start(RedisWriter writer) {
        Thread thread = new Thread(writer, "redis-writer");
        thread.start();
        return thread;
    }

    /** Stops the writer, which first settles the round in hand and writes what is queued. */
    private static void stop(RedisWriter writer, Thread thread) throws InterruptedException {
        writer.stop(System.nanoTime() + 5_000_000_000L);
        thread.join(10_000);
    }

    /** Applies one event a second of {@code source}, metric "cpu", seconds {@code from} to {@code from + count - 1}. */
    private static void apply(BatchApplier applier, String source, int from, int count, IntUnaryOperator value) {
        EventDecoder decoder = new EventDecoder(new EventBatch());
        decoder.begin(BodyFormat.NDJSON);
        StringBuilder body = new StringBuilder();
        for (int i = from; i < from + count; i++) {
            body.append("{\"timestamp\":").append(1_700_000_000 + i).append(",\"source\":\"").append(source)
                    .append("\",\"cpu\":").append(value.applyAsInt(i)).append("}\n");
        }
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        decoder.feed(bytes, 0, bytes.length);
        assertTrue(decoder.finish());
        assertEquals(BatchApplier.Result.APPLIED, applier.apply(decoder.batch(), 0));
    }
}
