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
    void aDrainLongerThanASliceTakesEveryEntryOnceInOrderAndStopsAtItsMax() {
        WriteBehindQueue queue = new WriteBehindQueue(10_000, QueueFullPolicy.DROP);
        int total = 3 * WriteBehindQueue.DRAIN_SLICE + 17;
        apply(queue, 0, total);
        WriteBehindQueue.Chunk chunk = new WriteBehindQueue.Chunk(total);

        int max = 2 * WriteBehindQueue.DRAIN_SLICE + 5;
        assertEquals(max, queue.drainTo(chunk, max));
        for (int i = 0; i < max; i++) {
            assertEquals(i, chunk.value(i), 0.0);
            assertEquals(1_700_000_000 + i, chunk.time(i), 0.0);
        }
        assertEquals(total - max, queue.depth());

        assertEquals(total - max, queue.drainTo(chunk, total));
        for (int i = 0; i < total - max; i++) {
            assertEquals(max + i, chunk.value(i), 0.0);
        }
        assertEquals(0, queue.drainTo(chunk, total));
        assertEquals(0, queue.depth());
    }

    @Test
    void aFullQueueDropsTheOldestEntriesAndCountsEachOne() {
        WriteBehindQueue queue = new WriteBehindQueue(1_500, QueueFullPolicy.DROP);
        apply(queue, 0, 2_000);
        assertEquals(500, queue.dropped());
        WriteBehindQueue.Chunk chunk = new WriteBehindQueue.Chunk(2_000);
        assertEquals(1_500, queue.drainTo(chunk, 2_000));
        for (int i = 0; i < 1_500; i++) {
            assertEquals(500 + i, chunk.value(i), 0.0);
        }
    }
}
