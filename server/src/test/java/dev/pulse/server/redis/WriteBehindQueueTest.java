package dev.pulse.server.redis;

import dev.pulse.protocol.event.BodyFormat;
import dev.pulse.protocol.event.EventBatch;
import dev.pulse.protocol.event.EventDecoder;
import dev.pulse.server.analytics.BatchApplier;
import dev.pulse.server.analytics.SeriesRegistry;
import dev.pulse.server.analytics.detect.Detectors;
import dev.pulse.server.config.Config;
import dev.pulse.server.config.QueueFullPolicy;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WriteBehindQueueTest {

    private final SeriesRegistry registry = new SeriesRegistry(10, 4, 50, Detectors.factory(Config.defaults()));

    /** Applies events carrying cpu = first, first + 1, ... through a real applier into {@code queue}. */
    private void apply(WriteBehindQueue queue, int first, int count) {
        EventDecoder decoder = new EventDecoder(new EventBatch());
        decoder.begin(BodyFormat.NDJSON);
        StringBuilder body = new StringBuilder();
        for (int i = first; i < first + count; i++) {
            body.append("{\"timestamp\":").append(1_700_000_000 + i).append(",\"source\":\"q\",\"cpu\":").append(i)
                    .append("}\n");
        }
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        decoder.feed(bytes, 0, bytes.length);
        assertTrue(decoder.finish());
        assertEquals(BatchApplier.Result.APPLIED, new BatchApplier(registry, queue).apply(decoder.batch(), 0));
    }

    @Test
    void aDrainTakesEveryEntryOnceInOrderAndStopsAtItsMax() {
        WriteBehindQueue queue = new WriteBehindQueue(10_000, QueueFullPolicy.DROP);
        int total = 3 * 1024 + 17;
        apply(queue, 0, total);
        QueueChunk chunk = new QueueChunk(total);

        int max = 2 * 1024 + 5;
        assertEquals(max, queue.drainTo(chunk, max));
        for (int i = 0; i < max; i++) {
            assertEquals(i, chunk.value(i), 0.0);
            assertEquals(1_700_000_000 + i, chunk.time(i), 0.0);
        }
        assertEquals(total - max, queue.depth());

        assertEquals(total - max, queue.drainTo(chunk, total - max), "after what the chunk holds");
        for (int i = 0; i < total; i++) {
            assertEquals(i, chunk.value(i), 0.0);
        }
        assertEquals(0, queue.drainTo(chunk, total));
        assertEquals(total, chunk.size());
        assertEquals(0, queue.depth());
    }

    @Test
    void aFullQueueDropsTheOldestEntriesAndCountsEachOne() {
        WriteBehindQueue queue = new WriteBehindQueue(1_500, QueueFullPolicy.DROP);
        apply(queue, 0, 2_000);
        assertEquals(500, queue.dropped());
        QueueChunk chunk = new QueueChunk(2_000);
        assertEquals(1_500, queue.drainTo(chunk, 2_000));
        for (int i = 0; i < 1_500; i++) {
            assertEquals(500 + i, chunk.value(i), 0.0);
        }
    }

    @Test
    void aFullQueueMakesRoomOnlyForTheValuesItKeeps() {
        dev.pulse.server.analytics.SeriesSpec spec = new dev.pulse.server.analytics.SeriesSpec(null, "", 50,
                Double.NaN, 0, Detectors.factory(Config.defaults()));
        SeriesRegistry ignoring = new SeriesRegistry(10, 4, 100, (source, metric) -> metric.equals("debug") ? null : spec);
        WriteBehindQueue queue = new WriteBehindQueue(100, QueueFullPolicy.DROP);
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 150; i++) { // 150 values kept, 150 a rule ignores
            body.append("{\"source\":\"q\",\"cpu\":").append(i).append(",\"debug\":1}\n");
        }
        EventDecoder decoder = new EventDecoder(new EventBatch());
        decoder.begin(BodyFormat.NDJSON);
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        decoder.feed(bytes, 0, bytes.length);
        assertTrue(decoder.finish());
        assertEquals(BatchApplier.Result.APPLIED, new BatchApplier(ignoring, queue).apply(decoder.batch(), 0));
        assertEquals(50, queue.dropped(), "the oldest 50 of the 150 kept values; the ignored ones take no room");
        QueueChunk chunk = new QueueChunk(100);
        assertEquals(100, queue.drainTo(chunk, 100));
        for (int i = 0; i < 100; i++) {
            assertEquals(50 + i, chunk.value(i), 0.0);
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void twoProducersAndTheWriterConcurrentlyLoseNothingUncountedAndKeepEachProducersOrder() throws Exception {
        WriteBehindQueue queue = new WriteBehindQueue(120, QueueFullPolicy.DROP, 2); // small: the producers overrun it as it is read
        int batches = 2_000;
        int perBatch = 40;
        java.util.List<Thread> producers = new java.util.ArrayList<>();
        for (int p = 0; p < 2; p++) {
            String source = "p" + p;
            Thread t = new Thread(() -> {
                BatchApplier applier = new BatchApplier(registry, queue);
                EventDecoder decoder = new EventDecoder(new EventBatch());
                for (int b = 0; b < batches; b++) {
                    StringBuilder body = new StringBuilder();
                    for (int i = 0; i < perBatch; i++) {
                        body.append("{\"source\":\"").append(source).append("\",\"cpu\":").append(b * perBatch + i).append("}\n");
                    }
                    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
                    decoder.begin(BodyFormat.NDJSON);
                    decoder.feed(bytes, 0, bytes.length);
                    assertTrue(decoder.finish());
                    assertEquals(BatchApplier.Result.APPLIED, applier.apply(decoder.batch(), 0));
                }
            });
            producers.add(t);
        }
        java.util.Map<String, java.util.List<Double>> taken = new java.util.HashMap<>();
        QueueChunk chunk = new QueueChunk(100);
        producers.forEach(Thread::start);
        while (producers.stream().anyMatch(Thread::isAlive) || queue.depth() > 0) {
            if (chunk.size() > 50) { // drains append to what the chunk holds, as the writer's do between rounds
                take(chunk, taken);
            }
            queue.drainTo(chunk, 100 - chunk.size());
        }
        take(chunk, taken);
        long total = 0;
        for (java.util.List<Double> values : taken.values()) {
            total += values.size();
            for (int i = 1; i < values.size(); i++) {
                assertTrue(values.get(i) > values.get(i - 1), "in order, once each: " + values.get(i - 1) + " then " + values.get(i));
            }
        }
        assertTrue(queue.dropped() > 0, "the producers overran the queue");
        assertEquals(2L * batches * perBatch, total + queue.dropped(), "every value taken once or counted dropped once");
    }

    private static void take(QueueChunk chunk, java.util.Map<String, java.util.List<Double>> taken) {
        for (int i = 0; i < chunk.size(); i++) {
            taken.computeIfAbsent(chunk.series(i).source().name(), k -> new java.util.ArrayList<>()).add(chunk.value(i));
        }
        chunk.clear();
    }
}
