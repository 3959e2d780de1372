package dev.pulse.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A flood of new source and metric names fills the configured limits and then costs nothing more: the heap
 * retained after the limits are reached does not grow with what is refused.
 */
@Timeout(120)
class MemoryBudgetTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static long retainedHeap() throws InterruptedException {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) { // a full collection, taken thrice: the least is the retained set
            System.gc();
            Thread.sleep(50);
            least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return least;
    }

    /** 100 events, each from its own new source with two new metric names. */
    private static String newNames(int round) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < 100; i++) {
            String id = round + "_" + i;
            b.append(i == 0 ? "" : ",").append("{\"source\":\"flood-").append(id).append("\",\"m_").append(id)
                    .append("\":1,\"n_").append(id).append("\":2}");
        }
        return b.append(']').toString();
    }

    @Test
    void refusedNamesCostNoMemory() throws Exception {
        try (TestServer server = new TestServer(Map.of("MAX_SOURCES", "1000", "MAX_METRICS_PER_SOURCE", "4"))) {
            int round = 0;
            for (; round < 10; round++) {
                assertEquals(200, server.post(newNames(round)).statusCode());
            }
            assertEquals(422, server.post(newNames(round++)).statusCode(), "the 1001st source is refused");
            StringBuilder wide = new StringBuilder("{\"source\":\"flood-0_0\"");
            for (int m = 0; m < 3; m++) {
                wide.append(",\"wide_").append(m).append("\":1");
            }
            assertEquals(422, server.post(wide.append('}').toString()).statusCode(), "a fifth metric is refused");

            long atLimit = retainedHeap();
            int refused = 0;
            for (; round < 300; round++) { // 29,000 more new sources, 58,000 more new metric names
                refused += server.post(newNames(round)).statusCode() == 422 ? 1 : 0;
            }
            long grown = retainedHeap() - atLimit;

            assertEquals(289, refused);
            var stats = JSON.readTree(server.get("/stats").body());
            assertEquals(1000, stats.get("sources").asInt());
            assertEquals(2000, stats.get("series").asInt());
            // with the limit raised, the same flood retains about 42 MB
            assertTrue(grown < 4 << 20, "retained heap grew by " + grown + " bytes after the limits were reached");
        }
    }
}
