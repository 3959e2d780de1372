package dev.pulse.server.redis;

import dev.pulse.server.analytics.Series;
import dev.pulse.server.analytics.SeriesRegistry;
import dev.pulse.server.analytics.detect.Detectors;
import dev.pulse.server.config.Config;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ChunkBySeriesTest {
    private final SeriesRegistry registry = new SeriesRegistry(10, 4, 50, Detectors.factory(Config.defaults()));
    private final ChunkBySeries grouped = new ChunkBySeries(Integer.MAX_VALUE);
    private final QueueChunk chunk = new QueueChunk(100);

    /** The chunk holds these (series, value) pairs, in order, each value at second {@code value}. */
    private void fill(Object... seriesAndValues) {
        chunk.clear();
        for (int i = 0; i < seriesAndValues.length; i += 2) {
            double v = ((Number) seriesAndValues[i + 1]).doubleValue();
            chunk.add((Series) seriesAndValues[i], v, 1_700_000_000 + v, 0, i / 2);
        }
    }

    private void round(Object... seriesAndValues) {
        fill(seriesAndValues);
        grouped.group(chunk, chunk.size());
    }

    /** Each series of the round, first seen first, with its values in queue order. */
    private List<String> bySeries() {
        return bySeries(grouped);
    }

    private static List<String> bySeries(ChunkBySeries grouped) {
        List<String> out = new ArrayList<>();
        for (int k = 0; k < grouped.series().size(); k++) {
            StringBuilder b = new StringBuilder(grouped.series().get(k).source().name()).append(':');
            int n = RoundEntry.parse(grouped.entry(k),
                    (t, v) -> b.append(' ').append((long) v).append('@').append((long) t - 1_700_000_000));
            assertEquals(grouped.stored(k), n);
            out.add(b.toString());
        }
        return out;
    }

    @Test
    void roundAfterRoundEachSeriesGetsItsValuesInOrderAndRetiredSeriesAreLeftOutOnce() {
        Series a = registry.restore("a", "cpu");
        Series b = registry.restore("b", "cpu");
        Series c = registry.restore("c", "cpu");
        round(a, 1, b, 1, a, 2, c, 1, b, 2, a, 3);
        assertEquals(List.of("a: 1@1 2@2 3@3", "b: 1@1 2@2", "c: 1@1"), bySeries());
        assertEquals(List.of(), grouped.retired());

        assertEquals(1, registry.delete("c", "cpu"));
        round(c, 2, b, 3, c, 3, a, 4);
        assertEquals(List.of("b: 3@3", "a: 4@4"), bySeries(), "slots of the last round do not carry over");
        assertEquals(List.of(c), grouped.retired(), "listed once however many of its values were queued");

        round(a, 5);
        assertEquals(List.of("a: 5@5"), bySeries());
        assertEquals(List.of(), grouped.retired());
    }

    @Test
    void aSeriesOfManyFullPrecisionValuesReadsBackBitForBitAndTheNextRoundStartsClean() {
        Series a = registry.restore("a", "cpu");
        Series b = registry.restore("b", "cpu");
        QueueChunk big = new QueueChunk(20_000);
        double[] values = new double[20_000]; // full-precision doubles at quarter seconds: 17 bytes each
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.PI * (i + 1);
            big.add(a, values[i], 1_700_000_000 + i * 0.25, 0, i);
        }
        grouped.group(big, big.size());
        List<Double> read = new ArrayList<>();
        assertEquals(values.length, RoundEntry.parse(grouped.entry(0), (t, v) -> read.add(v)));
        for (int i = 0; i < values.length; i++) {
            assertEquals(values[i], read.get(i), "value " + i);
        }

        round(b, 1, a, 2, b, 3);
        assertEquals(List.of("b: 1@1 3@3", "a: 2@2"), bySeries());
    }

    @Test
    void valuesLeftOutBetweenRoundsAreAllButTheNewestOfEachSeriesAndTheRestKeepTheirOrder() {
        ChunkBySeries three = new ChunkBySeries(3);
        Series a = registry.restore("a", "cpu");
        Series b = registry.restore("b", "cpu");
        fill(a, 1, a, 2, a, 3, b, 13, a, 4, a, 5, a, 6, b, 16);
        assertEquals(3, three.dropSuperseded(chunk));
        List<String> left = new ArrayList<>();
        for (int i = 0; i < chunk.size(); i++) {
            left.add(chunk.series(i).source().name() + (long) chunk.value(i));
        }
        assertEquals(List.of("b13", "a4", "a5", "a6", "b16"), left);

        assertEquals(0, three.dropSuperseded(chunk), "what is left is what a round stores");
        three.group(chunk, chunk.size());
        assertEquals(List.of(b, a), three.series());
        assertEquals(List.of("b: 13@13 16@16", "a: 4@4 5@5 6@6"), bySeries(three));
    }

    @Test
    void anEntryHoldsOnlyTheNewestValuesItsHistoryKeepsAndTheRoundCountsThemAll() {
        ChunkBySeries three = new ChunkBySeries(3);
        Series a = registry.restore("a", "cpu");
        Series b = registry.restore("b", "cpu");
        chunk.clear();
        for (int i = 1; i <= 7; i++) {
            chunk.add(a, i, 1_700_000_000 + i, 0, i);
            if (i <= 2) {
                chunk.add(b, 10 + i, 1_700_000_000 + i, 0, i);
            }
        }
        three.group(chunk, chunk.size());
        assertEquals(List.of(a, b), three.series());
        assertEquals(7, three.count(0));
        assertEquals(3, three.stored(0));
        List<String> read = new ArrayList<>();
        assertEquals(3, RoundEntry.parse(three.entry(0), (t, v) -> read.add((long) v + "@" + ((long) t - 1_700_000_000))));
        assertEquals(List.of("5@5", "6@6", "7@7"), read, "the newest three, times read from the first kept");
        read.clear();
        assertEquals(2, RoundEntry.parse(three.entry(1), (t, v) -> read.add((long) v + "@" + ((long) t - 1_700_000_000))));
        assertEquals(List.of("11@1", "12@2"), read);
        assertEquals(2, three.count(1));
    }
}
