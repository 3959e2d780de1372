package dev.pulse.server.redis;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeriesHistoryTest {

    @Test
    void theKeptEntriesHoldAtLeastTheHistoryAndNoEntryMoreThanThat() {
        int history = 100;
        SeriesHistory h = new SeriesHistory(new byte[0], history);
        Deque<Integer> list = new ArrayDeque<>(); // the list in Redis, entry sizes, oldest first
        Random r = new Random(7);
        for (int round = 0; round < 5_000; round++) {
            int values = round % 500 < 250 ? 1 + r.nextInt(3) : 1 + r.nextInt(60); // small rounds, then large ones
            long keep = h.keepWith(values);
            list.addLast(values);
            while (list.size() > keep) {
                list.removeFirst();
            }
            h.pushed(values);
            int total = list.stream().mapToInt(Integer::intValue).sum();
            assertTrue(total >= Math.min(history, (round + 1)), "round " + round + ": " + total + " kept");
            assertTrue(total - list.peekFirst() < history || list.size() == 1, "round " + round + ": an entry too many");
        }
    }

    @Test
    void entriesOfUnknownSizeCountAsOneValueEach() {
        SeriesHistory h = new SeriesHistory(new byte[0], 1000);
        assertEquals(1000 - 10 + 1, h.keepWith(10), "the new entry and 990 older ones, which hold at least 990");
        h.pushed(10);
        assertEquals(1000 - 30 + 2, h.keepWith(20));
    }
}
