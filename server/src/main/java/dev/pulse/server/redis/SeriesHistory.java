package dev.pulse.server.redis;

/**
 * The writer's view of one series' list in Redis: its key and the sizes (values) of the newest entries it pushed,
 * just enough of them to hold {@code history} values, from which it says how many entries to keep when trimming.
 * Entries it does not know (written before a restart, or by another replica) count as one value each, the least an
 * entry holds, so a trim never leaves fewer than {@code history} values of this writer's own. A trim is due once the
 * list holds {@value #SLACK} entries more than that (and at the first push, when its length is unknown), so a series
 * costs an LTRIM every {@value #SLACK} rounds, not every round; and at once when the new entry holds the whole history
 * (a round holds at most that many values of a series, its newest: {@link ChunkBySeries}), so the list never keeps
 * older values behind a round that left some out. Writer thread only.
 */
final class SeriesHistory {
    /** Entries a list may hold beyond those the history needs before it is trimmed. */
    static final int SLACK = 8;

    final byte[] key;
    private final int history;
    private long listed = -1;         // entries in the list as far as this writer knows; -1: not known yet
    private int[] sizes = new int[4]; // a ring of entry sizes, oldest at start
    private int start;
    private int count;
    private long sum;                 // the values of the entries in the ring

    SeriesHistory(byte[] key, int history) {
        this.key = key;
        this.history = history;
    }

    /**
     * Records an entry of {@code values} pushed, the list trimmed to {@code kept} entries (0: not trimmed), and
     * forgets the oldest sizes no longer needed for the history.
     */
    void pushed(int values, long kept) {
        listed = kept > 0 ? kept : listed + 1;
        if (count == sizes.length) {
            int[] grown = new int[sizes.length * 2];
            for (int i = 0; i < count; i++) {
                grown[i] = sizes[(start + i) % sizes.length];
            }
            sizes = grown;
            start = 0;
        }
        sizes[(start + count) % sizes.length] = values;
        count++;
        sum += values;
        while (count > 1 && sum - sizes[start] >= history) {
            sum -= sizes[start];
            start = (start + 1) % sizes.length;
            count--;
        }
    }

    /** How many of the newest entries to keep if a trim is due once an entry of {@code values} is pushed, else 0. */
    long trimWith(int values) {
        long keep = keepWith(values);
        return listed < 0 || values >= history || listed + 1 - keep >= SLACK ? keep : 0;
    }

    /**
     * How many of the newest entries to keep, once an entry of {@code values} is pushed, so that they hold at least
     * {@code history} values. Changes nothing: {@link #pushed} records the entry once Redis has it.
     */
    long keepWith(int values) {
        long s = sum + values;
        int c = count + 1;
        int i = start;
        while (c > 1 && s - sizes[i] >= history) { // while c > 1 the oldest is in the ring, the new one being newest
            s -= sizes[i];
            i = (i + 1) % sizes.length;
            c--;
        }
        return s >= history ? c : c + (history - s);
    }
}
