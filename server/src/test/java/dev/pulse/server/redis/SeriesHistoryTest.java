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
        int trims = 0;
        for (int round = 0; round < 5_000; round++) {
            int values = round % 500 < 250 ? 1 + r.nextInt(3) : 1 + r.nextInt(60); // small rounds, then large ones
            long needed = h.keepWith(values);
            long keep = h.trimWith(values);
            list.addLast(values);
            int before = list.size();
            while (keep > 0 && list.size() > keep) {
                list.removeFirst();
            }
            h.pushed(values, keep);
            int total = list.stream().mapToInt(Integer::intValue).sum();
            assertTrue(total >= Math.min(history, (round + 1)), "round " + round + ": " + total + " kept");
            assertTrue(list.size() < needed + SeriesHistory.SLACK, "round " + round + ": " + list.size()
                    + " entries where " + needed + " hold the history");
            trims += keep > 0 ? 1 : 0;
            if (keep > 0) {
                assertEquals(Math.min(needed, before), list.size(), "a trim keeps the fewest newest entries that hold the history");
            }
        }
        assertTrue(trims < 5_000 / 4, "trimmed in " + trims + " of 5,000 rounds");
    }

    @Test
    void entriesOfUnknownSizeCountAsOneValueEach() {
        SeriesHistory h = new SeriesHistory(new byte[0], 1000);
        assertEquals(1000 - 10 + 1, h.keepWith(10), "the new entry and 990 older ones, which hold at least 990");
        assertEquals(1000 - 10 + 1, h.trimWith(10), "the list's length is not known: trimmed at the first push");
        h.pushed(10, 1000 - 10 + 1);
        assertEquals(1000 - 30 + 2, h.keepWith(20));
        assertEquals(0, h.trimWith(1), "one entry more and still as many of unknown size needed: not trimmed");
        assertEquals(1000 - 30 + 2, h.trimWith(20), "20 entries fewer needed: trimmed");
    }

    @Test
    void anEntryThatHoldsTheWholeHistoryIsTrimmedToAtOnce() {
        SeriesHistory h = new SeriesHistory(new byte[0], 100);
        h.pushed(100, 1); // the list is that one entry
        assertEquals(0, h.trimWith(99), "an entry one value short of the history: no trim yet");
        h.pushed(99, 0);
        assertEquals(1, h.trimWith(100), "an entry of the whole history: the list is trimmed to it at once");
        h.pushed(100, 1);
        assertEquals(1, h.trimWith(100), "and again the next round");
    }
}
