package dev.pulse.server.analytics;

import dev.pulse.protocol.event.BodyFormat;
import dev.pulse.protocol.event.EventBatch;
import dev.pulse.protocol.event.EventDecoder;
import dev.pulse.protocol.labelled.DecodeResult;
import dev.pulse.protocol.labelled.LabelledBatch;
import dev.pulse.protocol.labelled.SeriesNaming;
import dev.pulse.protocol.remote.RemoteWriteDecoder;
import dev.pulse.protocol.remote.WriteRequestWriter;
import dev.pulse.server.analytics.detect.Detectors;
import dev.pulse.server.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntToLongFunction;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Expiry and deletion in the registry: limits freed, lookups still right, and no value lost to a racing expiry. */
class SeriesLifecycleTest {

    private static SeriesRegistry registry(int maxSources, int maxSeries) {
        SeriesSpec spec = new SeriesSpec(null, "zscore", 50, 2.0, 10, Detectors.factory(Config.defaults()));
        return new SeriesRegistry(maxSources, 8, maxSeries, (s, m) -> spec);
    }

    private static EventBatch batch(String ndjson) {
        EventDecoder decoder = new EventDecoder(new EventBatch());
        decoder.begin(BodyFormat.NDJSON);
        byte[] bytes = ndjson.getBytes(StandardCharsets.UTF_8);
        decoder.feed(bytes, 0, bytes.length);
        assertTrue(decoder.finish());
        return decoder.batch();
    }

    private static BatchApplier.Result post(BatchApplier applier, String source, String metric, double value) {
        return applier.apply(batch("{\"source\":\"" + source + "\",\"" + metric + "\":" + value + "}\n"),
                System.currentTimeMillis() / 1000.0);
    }

    @Test
    void expiryFreesPlacesUnderTheLimitsAndKeepsWhatWasWritten() throws Exception {
        SeriesRegistry registry = registry(20, 30);
        BatchApplier applier = new BatchApplier(registry, BatchListener.NONE);
        for (int i = 0; i < 20; i++) {
            assertEquals(BatchApplier.Result.APPLIED, post(applier, "old-" + i, "cpu", i));
        }
        assertEquals(BatchApplier.Result.LIMIT_EXCEEDED, post(applier, "new-0", "cpu", 1));
        Thread.sleep(20); // the old ones are idle from here on
        long cutoff = System.currentTimeMillis();
        for (int i = 0; i < 5; i++) { // touched again: they stay
            assertEquals(BatchApplier.Result.APPLIED, post(applier, "old-" + i, "cpu", i));
        }

        assertEquals(15, registry.expireIdle(cutoff));
        assertEquals(15, registry.expiredTotal());
        assertEquals(5, registry.sourceCount());
        assertEquals(5, registry.seriesCount());
        for (int i = 0; i < 20; i++) {
            Source s = registry.find("old-" + i);
            if (i < 5) {
                assertNotNull(s, "old-" + i);
                assertEquals(2, s.find("cpu").count());
            } else {
                assertNull(s, "old-" + i);
            }
        }
        for (int i = 0; i < 15; i++) {
            assertEquals(BatchApplier.Result.APPLIED, post(applier, "new-" + i, "cpu", i));
        }
        assertEquals(BatchApplier.Result.LIMIT_EXCEEDED, post(applier, "new-15", "cpu", 1));
        assertEquals(20, registry.sources().length);
        int[] visited = {0};
        registry.forEachSource(s -> ++visited[0] > 0);
        assertEquals(20, visited[0]);
    }

    @Test
    void maxSeriesBoundsAllSourcesTogether() {
        SeriesRegistry registry = registry(100, 5);
        BatchApplier applier = new BatchApplier(registry, BatchListener.NONE);
        assertEquals(BatchApplier.Result.APPLIED,
                applier.apply(batch("{\"source\":\"a\",\"x\":1,\"y\":2,\"z\":3}\n{\"source\":\"b\",\"x\":1,\"y\":2}\n"), 0));
        assertEquals(BatchApplier.Result.LIMIT_EXCEEDED, post(applier, "c", "x", 1));
        assertTrue(applier.limitMessage().contains("MAX_SERIES"), applier.limitMessage());
        assertNull(registry.find("c"), "a refused request creates nothing");
        assertEquals(1, registry.delete("a", "z"));
        assertEquals(BatchApplier.Result.APPLIED, post(applier, "c", "x", 1));
    }

    @Test
    void deleteTakesOneMetricOrTheWholeSource() {
        SeriesRegistry registry = registry(100, 100);
        BatchApplier applier = new BatchApplier(registry, BatchListener.NONE);
        List<String> told = new ArrayList<>();
        registry.addForgetListener((source, series, sourceGone, deleted) -> {
            for (Series s : series) {
                told.add(source.name() + "/" + s.metric() + (sourceGone ? " source" : "") + (deleted ? " deleted" : ""));
            }
        });
        applier.apply(batch("{\"source\":\"a\",\"x\":1,\"y\":2}\n{\"source\":\"b\",\"x\":1}\n"), 0);
        Series y = registry.find("a").find("y");

        assertEquals(1, registry.delete("a", "x"));
        assertEquals(0, registry.delete("a", "x"), "already gone");
        assertSame(y, registry.find("a").find("y"), "the other metric is untouched");
        assertEquals(1, y.count());
        assertEquals(1, registry.delete("a", null));
        assertNull(registry.find("a"));
        assertEquals(0, registry.delete("nope", null));
        assertEquals(List.of("a/x deleted", "a/y source deleted"), told);
        assertEquals(0, registry.expiredTotal(), "a deletion is no expiry");
        assertEquals(1, registry.sourceCount());
        assertEquals(1, registry.seriesCount());
    }

    /** Many generations of sources through a small table: tombstones never hide a live source. */
    @Test
    void churnThroughTheTableKeepsEveryLiveSourceFindable() {
        SeriesRegistry registry = registry(50, 1_000);
        BatchApplier applier = new BatchApplier(registry, BatchListener.NONE);
        for (int gen = 0; gen < 200; gen++) {
            for (int i = 0; i < 50; i++) {
                if ((i + gen) % 3 == 0 || gen == 0) {
                    registry.delete("s" + i, null);
                    assertEquals(BatchApplier.Result.APPLIED, post(applier, "s" + i, "m", gen));
                }
            }
            for (int i = 0; i < 50; i++) {
                Source s = registry.find("s" + i);
                assertNotNull(s, "s" + i + " in generation " + gen);
                assertTrue(!s.retired());
            }
            assertNull(registry.find("s50"));
        }
        assertEquals(50, registry.sourceCount());
        assertEquals(50, registry.sources().length);
    }

    /**
     * Two writers hammer one series while another thread expires everything idle for no time at all, over and
     * over: every value posted is in the series that held it when it was retired, or in the live one.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void noValueIsLostToAConcurrentExpiry() throws Exception {
        SeriesRegistry registry = registry(10, 10);
        Race race = raceExpiry(registry, w -> {
            BatchApplier applier = new BatchApplier(registry, BatchListener.NONE);
            EventBatch one = batch("{\"source\":\"hot\",\"cpu\":1.5}\n");
            return i -> {
                assertEquals(BatchApplier.Result.APPLIED, applier.apply(one, 0));
                return 1;
            };
        });
        assertEquals(race.kept(), race.retired() + race.live());
        assertTrue(registry.sourceCount() <= 1 && registry.seriesCount() <= 1);
    }

    /**
     * The same race through the remote-write path, whose applier caches series by their label bytes: a cached series
     * retired under it is found again or made anew, and every sample posted is in a retired series, in the live one,
     * or counted as skipped (two writers interleave timestamps, so some arrive out of order).
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void noRemoteWriteSampleIsLostToAConcurrentExpiry() throws Exception {
        SeriesRegistry registry = registry(10, 10);
        Race race = raceExpiry(registry, w -> {
            byte[][] bodies = new byte[1000][];
            for (int k = 0; k < bodies.length; k++) { // one sample each, later and later
                bodies[k] = org.xerial.snappy.Snappy.compress(new WriteRequestWriter().series(
                        new String[]{"__name__", "cpu", "instance", "hot"},
                        new long[]{1_700_000_000_000L + k * 1_000L + w}, new double[]{1.5}).toByteArray());
            }
            RemoteWriteDecoder decoder = new RemoteWriteDecoder(new LabelledBatch(), 1 << 20);
            LabelledApplier applier = new LabelledApplier(registry, BatchListener.NONE, AnomalySink.NONE,
                    new SeriesNaming(List.of("instance", "job"), List.of("service.name")), 1 << 10);
            return i -> {
                byte[] body = bodies[i % bodies.length];
                assertEquals(DecodeResult.OK, decoder.decode(body, 0, body.length));
                assertEquals(LabelledApplier.Result.APPLIED, applier.apply(decoder.batch(), System.currentTimeMillis()));
                return 1 - applier.skippedTotal();
            };
        });
        assertEquals(race.kept(), race.retired() + race.live());
    }

    /** What a race ended with: values the writers' steps said must be kept, and where they were found. */
    private record Race(long kept, long retired, long live) {
    }

    /** A writer: made on its own thread from its number, then called with 0, 1, 2...; returns the values to find. */
    private interface RaceWriter {
        IntToLongFunction make(int writer) throws Exception;
    }

    /**
     * Two writers against a sweeper that expires every idle series over and over, until expiry has raced them at
     * least 200 times; a writer's failure fails the test.
     */
    private static Race raceExpiry(SeriesRegistry registry, RaceWriter writer) throws Exception {
        AtomicLong retired = new AtomicLong();
        AtomicLong generations = new AtomicLong();
        registry.addForgetListener((source, series, sourceGone, deleted) -> {
            for (Series s : series) {
                synchronized (source) { // no value can enter it from now on: count what it holds
                    retired.addAndGet(s.count());
                }
                generations.incrementAndGet();
            }
        });
        AtomicBoolean stop = new AtomicBoolean();
        Thread sweeper = new Thread(() -> {
            while (!stop.get()) {
                registry.expireIdle(Long.MAX_VALUE);
            }
        });
        sweeper.start();
        AtomicLong kept = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] writers = new Thread[2];
        for (int w = 0; w < writers.length; w++) {
            int id = w;
            writers[w] = new Thread(() -> {
                try {
                    IntToLongFunction step = writer.make(id);
                    for (int i = 0; i < 20_000 || generations.get() < 200; i++) { // until expiry raced often
                        kept.addAndGet(step.applyAsLong(i));
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            writers[w].start();
        }
        for (Thread t : writers) {
            t.join();
        }
        stop.set(true);
        sweeper.join();
        assertNull(failure.get(), () -> "a writer failed: " + failure.get());
        assertTrue(generations.get() >= 200, "expiry raced the writers");
        Source live = registry.find("hot");
        long inLive = 0;
        if (live != null) {
            synchronized (live) {
                inLive = live.find("cpu").count();
            }
        }
        return new Race(kept.get(), retired.get(), inLive);
    }
}
