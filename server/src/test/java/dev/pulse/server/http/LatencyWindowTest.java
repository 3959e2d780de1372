package dev.pulse.server.http;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class LatencyWindowTest {

    @Test
    void everyThreadsRecordsCountOnceAcrossSnapshots() throws InterruptedException {
        LatencyWindow window = new LatencyWindow();
        Thread[] loops = new Thread[3];
        for (int t = 0; t < loops.length; t++) {
            long nanos = (t + 1) * 1_000_000L; // 1, 2 and 3 ms
            loops[t] = new Thread(() -> {
                for (int i = 0; i < 1000; i++) {
                    window.record(nanos);
                }
            });
            loops[t].start();
        }
        for (Thread t : loops) {
            t.join();
        }
        Histogram first = window.snapshot();
        assertEquals(3000, first.getTotalCount());
        assertEquals(3_000_000, first.getMaxValue(), 3_000_000 / 500.0);
        assertEquals(1_000_000, first.getMinValue(), 1_000_000 / 500.0);

        window.record(5_000_000); // from this thread: a fourth recorder
        Histogram second = window.snapshot();
        assertEquals(3001, second.getTotalCount(), "what was taken before stays in the window, once");
        assertTrue(second.getMaxValue() >= 4_990_000, "max " + second.getMaxValue());
        assertEquals(3001, window.snapshot().getTotalCount(), "a snapshot with nothing new adds nothing");
    }
}
