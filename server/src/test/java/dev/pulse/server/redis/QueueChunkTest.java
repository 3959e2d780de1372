package dev.pulse.server.redis;

import dev.pulse.server.analytics.Series;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class QueueChunkTest {
    private static final Series[] NONE = new Series[100];

    /** Entries of ring {@code ring}: values {@code ring * 100 + sequence}, so each says where it came from. */
    private static void run(QueueChunk chunk, int ring, long sequence, int count) {
        double[] v = new double[count];
        for (int i = 0; i < count; i++) {
            v[i] = ring * 100 + sequence + i;
        }
        chunk.add(NONE, v, v, 0, count, ring, sequence);
    }

    private static List<Integer> values(QueueChunk chunk) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < chunk.size(); i++) {
            out.add((int) chunk.value(i));
        }
        return out;
    }

    @Test
    void aDiscardRemovesOnlyThatRingsEntriesBeforeTheSequenceAndKeepsTheOrder() {
        QueueChunk chunk = new QueueChunk(100);
        run(chunk, 0, 10, 3);  // 10 11 12
        run(chunk, 1, 5, 2);   // 105 106
        run(chunk, 0, 13, 2);  // 13 14: follows ring 0's first run
        run(chunk, 1, 7, 1);   // 107
        chunk.discard(0, 12);
        assertEquals(List.of(12, 105, 106, 13, 14, 107), values(chunk));
        chunk.discard(1, 7);
        assertEquals(List.of(12, 13, 14, 107), values(chunk));
        chunk.discard(0, 14);
        assertEquals(List.of(14, 107), values(chunk));
        chunk.discard(0, 99);
        chunk.discard(1, 8);
        assertEquals(List.of(), values(chunk));
        run(chunk, 1, 8, 2);
        assertEquals(List.of(108, 109), values(chunk), "usable again");
    }

    @Test
    void aDrainDiscardsOnlyEntriesItTookItself() {
        QueueChunk chunk = new QueueChunk(100);
        chunk.startDrain();
        run(chunk, 0, 10, 3);  // 10 11 12, an earlier drain's
        chunk.startDrain();
        run(chunk, 0, 20, 2);  // 20 21
        run(chunk, 1, 5, 2);   // 105 106
        chunk.discard(0, 21);  // the ring's head passed 20 during this drain; 10-12 were taken before
        assertEquals(List.of(10, 11, 12, 21, 105, 106), values(chunk));
        chunk.discard(0, 99);
        assertEquals(List.of(10, 11, 12, 105, 106), values(chunk));
    }

    @Test
    void entriesMovedDownAndTruncatedKeepTheirOrder() {
        QueueChunk chunk = new QueueChunk(100);
        run(chunk, 0, 10, 5);  // 10 11 12 13 14
        chunk.move(1, 0);
        chunk.move(3, 1);
        chunk.truncate(2);
        assertEquals(List.of(11, 13), values(chunk));
        run(chunk, 0, 15, 1);
        assertEquals(List.of(11, 13, 15), values(chunk));
    }

    @Test
    void aWrittenRoundsEntriesAreRemovedAndThoseTakenAfterItMoveToTheFront() {
        QueueChunk chunk = new QueueChunk(100);
        run(chunk, 0, 10, 3);  // 10 11 12: the round
        run(chunk, 1, 5, 2);   // 105 106: taken while it was in flight
        chunk.removeFirst(3);
        assertEquals(List.of(105, 106), values(chunk));
        run(chunk, 0, 13, 1);
        assertEquals(List.of(105, 106, 13), values(chunk));
        chunk.removeFirst(3);
        assertEquals(List.of(), values(chunk));
    }
}
