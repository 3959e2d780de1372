package dev.pulse.server.analytics;

import dev.pulse.protocol.event.BodyFormat;
import dev.pulse.protocol.event.EventBatch;
import dev.pulse.protocol.event.EventDecoder;
import dev.pulse.server.analytics.detect.Detectors;
import dev.pulse.server.config.Config;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

/**
 * The applier remembers the sources it found lately: a source deleted and written again must be the new one, and
 * names that share a slot of that memory (same length and last character) must each find their own.
 */
class RecentSourcesTest {
    private final SeriesRegistry registry = new SeriesRegistry(100, 8, 10, Detectors.factory(Config.defaults()));
    private final BatchApplier applier = new BatchApplier(registry, BatchListener.NONE);

    @Test
    void aDeletedSourceWrittenAgainIsTheNewOne() {
        apply("[{\"source\":\"web-1\",\"cpu\":1},{\"source\":\"web-1\",\"cpu\":2}]");
        Source old = registry.find("web-1");
        assertEquals(2, old.find("cpu").count());
        registry.delete("web-1", null);
        apply("[{\"source\":\"web-1\",\"cpu\":3}]");
        Source now = registry.find("web-1");
        assertNotSame(old, now);
        assertEquals(1, now.find("cpu").count());
        assertEquals(3.0, now.find("cpu").last());
    }

    @Test
    void namesSharingASlotFindTheirOwnSource() {
        // "a-1" and "b-1": same length, same last character
        for (int k = 0; k < 3; k++) {
            apply("[{\"source\":\"a-1\",\"cpu\":1},{\"source\":\"b-1\",\"cpu\":2},{\"source\":\"a-1\",\"cpu\":1}]");
        }
        assertEquals(6, registry.find("a-1").find("cpu").count());
        assertEquals(1.0, registry.find("a-1").find("cpu").rollingAverage());
        assertEquals(3, registry.find("b-1").find("cpu").count());
        assertEquals(2.0, registry.find("b-1").find("cpu").rollingAverage());
    }

    private void apply(String body) {
        EventDecoder d = new EventDecoder(new EventBatch());
        d.begin(BodyFormat.JSON);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        d.feed(bytes, 0, bytes.length);
        assertEquals(true, d.finish(), d.message());
        assertEquals(BatchApplier.Result.APPLIED, applier.apply(d.batch(), 1_700_000_000.0));
    }
}
