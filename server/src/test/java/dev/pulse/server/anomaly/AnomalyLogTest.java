package dev.pulse.server.anomaly;

import dev.pulse.server.analytics.Series;
import dev.pulse.server.analytics.SeriesRegistry;
import dev.pulse.server.analytics.detect.Detectors;
import dev.pulse.server.config.Config;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnomalyLogTest {
    private final SeriesRegistry registry = new SeriesRegistry(100, 10, 50, Detectors.factory(Config.defaults()));
    private final Series web1 = registry.restore("web-1", "cpu");
    private final Series web2 = registry.restore("web-2", "latency");

    private static void add(AnomalyLog log, Series s, int i) {
        log.flagged(s, 1000 + i, i, 1, 2, 3.5, 0.9);
    }

    @Test
    void readsOldestFirstAndPagesOnWithTheCursor() {
        AnomalyLog log = new AnomalyLog(100, s -> "zscore");
        for (int i = 1; i <= 7; i++) {
            add(log, i % 2 == 0 ? web2 : web1, i);
        }
        AnomalyLog.Page page = new AnomalyLog.Page(10);
        log.read(0, null, 3, page);
        assertEquals(3, page.size());
        assertEquals(1, page.value(0));
        assertEquals(1_001_000, page.timeMs(0));
        assertSame(web2, page.series(1));
        assertEquals("zscore", page.detector(1));
        assertEquals(3, page.next());
        log.read(page.next(), null, 10, page);
        assertEquals(4, page.size());
        assertEquals(4, page.value(0));
        assertEquals(7, page.value(3));
        assertEquals(7, page.next());
        log.read(page.next(), null, 10, page);
        assertEquals(0, page.size());
        assertEquals(7, page.next(), "nothing new: the cursor stays");
        add(log, web1, 8);
        log.read(page.next(), null, 10, page);
        assertEquals(1, page.size());
        assertEquals(8, page.value(0));
    }

    @Test
    void aCursorAheadOfTheLogReadsFromItsOldestEntry() {
        AnomalyLog log = new AnomalyLog(100, s -> "zscore"); // a restarted process: its log starts at 1 again
        for (int i = 1; i <= 3; i++) {
            add(log, web1, i);
        }
        AnomalyLog.Page page = new AnomalyLog.Page(10);
        log.read(5_000, null, 10, page); // the cursor the client kept from the process before
        assertEquals(3, page.size(), "nothing this process flagged is skipped");
        assertEquals(1, page.value(0));
        assertEquals(3, page.next());
    }

    @Test
    void filtersBySourceAndTheCursorSkipsWhatDidNotMatch() {
        AnomalyLog log = new AnomalyLog(100, s -> "zscore");
        for (int i = 1; i <= 6; i++) {
            add(log, i <= 4 ? web1 : web2, i);
        }
        AnomalyLog.Page page = new AnomalyLog.Page(10);
        log.read(0, "web-2", 1, page);
        assertEquals(1, page.size());
        assertEquals(5, page.value(0));
        assertEquals(5, page.next());
        log.read(page.next(), "web-2", 1, page);
        assertEquals(6, page.value(0));
        log.read(0, "nope", 10, page);
        assertEquals(0, page.size());
        assertEquals(6, page.next());
    }

    @Test
    void keepsTheNewestCapacityEntriesAndResumesAtTheOldestKept() {
        AnomalyLog log = new AnomalyLog(4, s -> "zscore");
        for (int i = 1; i <= 10; i++) {
            add(log, web1, i);
        }
        AnomalyLog.Page page = new AnomalyLog.Page(10);
        log.read(2, null, 10, page);
        assertEquals(4, page.size(), "entries 7 to 10 are kept");
        assertEquals(7, page.value(0));
        assertEquals(7, page.sequence(0));
        assertEquals(10, page.next());
    }

    @Test
    void readsAcrossManySlicesWhileWritersAppend() throws Exception {
        AnomalyLog log = new AnomalyLog(50_000, s -> "zscore");
        Thread writer = new Thread(() -> {
            for (int i = 1; i <= 40_000; i++) {
                add(log, web1, i);
            }
        });
        writer.start();
        AnomalyLog.Page page = new AnomalyLog.Page(1000);
        long cursor = 0;
        double expected = 1;
        while (expected <= 40_000) {
            log.read(cursor, null, 1000, page);
            for (int i = 0; i < page.size(); i++) {
                assertEquals(expected++, page.value(i), "in order, none missed");
            }
            assertTrue(page.next() >= cursor);
            cursor = page.next();
        }
        writer.join();
    }
}
