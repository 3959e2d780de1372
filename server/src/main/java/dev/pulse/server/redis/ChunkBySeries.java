package dev.pulse.server.redis;

import dev.pulse.server.analytics.Series;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A drained {@link QueueChunk} regrouped by series, so that each series' values of the round go out as one
 * {@link RoundEntry}: the series in the order they first appear, each one's values in queue order, written straight
 * into its entry's region of a scratch array kept round after round (at most 17 bytes a value of a chunk), then
 * copied out at its size. An entry holds at most the newest {@code keep} values of its series ({@code REDIS_HISTORY}): older
 * ones of the same round would leave the list at its next trim and no reader ever asks for them, so a busy series
 * costs the round at most {@code keep} values' encoding and bytes, however many it ingested. Values of a series
 * retired since they were queued (expired or deleted) are left out, and the series listed in {@link #retired()}.
 * Reused round after round; every field is the writer thread's.
 */
final class ChunkBySeries {
    private static final int RETIRED = Integer.MAX_VALUE; // the slot of a retired series: its values are left out
    /** Numbers every call of group in the process, so a slot one writer gave never looks valid to another. */
    private static final AtomicLong ROUNDS = new AtomicLong();
    private final int keep;              // the most values an entry holds: the newest of its series
    private long round;                  // this call's number: a series' slot is valid in its round only
    private final List<Series> order = new ArrayList<>();
    private final List<Series> retired = new ArrayList<>();
    private final List<byte[]> entries = new ArrayList<>(); // per series: its list entry, filled by group
    private int[] counts = new int[64];  // values per series
    private int[] skip = new int[64];    // per series: its oldest values still to leave out of its entry
    private int[] start = new int[64];   // per series: where its entry starts in scratch
    private int[] fill = new int[64];    // per series: where its entry's next value goes in scratch
    private byte[] scratch = new byte[0]; // every series' entry of the round, each in a region of its most bytes
    private double[] lastTime = new double[64]; // per series: the time of its entry's last value
    private int[] lastForm = new int[64];       // per series: the form of its entry's last value, -1 before one
    private int[] index = new int[64];   // per chunk entry: its series' index, or -1 when retired

    /** @param keep the most values an entry holds (at least 1) */
    ChunkBySeries(int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep=" + keep);
        }
        this.keep = keep;
    }

    /** Groups the first {@code size} entries of {@code chunk}: those its round holds. */
    void group(QueueChunk chunk, int size) {
        countBySeries(chunk, size, true);
        entries.clear();
        if (fill.length < order.size()) {
            start = new int[counts.length];
            fill = new int[counts.length];
            skip = new int[counts.length];
            lastTime = new double[counts.length];
            lastForm = new int[counts.length];
        }
        long room = 0;
        for (int k = 0; k < order.size(); k++) {
            start[k] = (int) room;
            room += RoundEntry.maxBytes(stored(k));
            skip[k] = counts[k] - stored(k);
            fill[k] = start[k] + 1;
            lastTime[k] = 0;
            lastForm[k] = -1;
        }
        if (scratch.length < room) {
            // Reused round after round: allocating and zeroing each entry's most bytes took an eighth of the grouping.
            scratch = new byte[(int) Math.min(Integer.MAX_VALUE - 8, Math.max(room, 2L * scratch.length))];
        }
        byte[] out = scratch;
        for (int i = 0; i < size; i++) { // straight into the entries, in queue order per series
            int k = index[i];
            if (k < 0) {
                continue; // retired
            }
            if (skip[k] > 0) {
                skip[k]--; // older than the entry's newest `keep`
            } else {
                int at = fill[k];
                fill[k] = RoundEntry.put(out, at, lastTime[k], chunk.time(i), chunk.value(i), lastForm[k]);
                lastTime[k] = chunk.time(i);
                lastForm[k] = RoundEntry.valueForm(out, at);
            }
        }
        for (int k = 0; k < order.size(); k++) {
            out[start[k]] = RoundEntry.COMPACT;
            entries.add(Arrays.copyOfRange(out, start[k], fill[k]));
        }
    }

    /**
     * Leaves out of {@code chunk} the values a round would not store ({@link #group} leaves them out too): all but
     * the newest {@code keep} of each series, retired or not. Keeps the order of the rest; returns how many it left
     * out. A writer that gathers values between rounds so holds at most {@code keep} of a series however fast it
     * comes, and its round sends at most that many. {@link #series} and {@link #count} then describe the chunk as it
     * came in, until the next call.
     */
    int dropSuperseded(QueueChunk chunk) {
        int size = chunk.size();
        countBySeries(chunk, size, false);
        if (skip.length < order.size()) {
            skip = new int[counts.length];
        }
        for (int k = 0; k < order.size(); k++) {
            skip[k] = counts[k] - stored(k);
        }
        int kept = 0;
        for (int i = 0; i < size; i++) {
            int k = index[i];
            if (skip[k] > 0) {
                skip[k]--;
            } else {
                chunk.move(i, kept++);
            }
        }
        chunk.truncate(kept);
        return size - kept;
    }

    /**
     * Gives each series of the first {@code size} entries of {@code chunk} its place in a new round ({@link #series},
     * first seen first), counts its values ({@link #count}) and notes each entry's place in {@code index}. With
     * {@code leaveRetiredOut}, a series retired since its values were queued gets none (its entries' index is -1) and
     * is listed in {@link #retired}.
     */
    private void countBySeries(QueueChunk chunk, int size, boolean leaveRetiredOut) {
        round = ROUNDS.incrementAndGet();
        order.clear();
        retired.clear();
        if (index.length < size) {
            index = new int[size];
        }
        for (int i = 0; i < size; i++) {
            Series s = chunk.series(i);
            int slot = s.writeSlot(round); // a field on the series: no map lookup per value
            if (slot < 0) {
                if (leaveRetiredOut && s.retired()) {
                    s.writeSlot(round, RETIRED);
                    retired.add(s);
                    index[i] = -1;
                    continue;
                }
                slot = order.size();
                s.writeSlot(round, slot);
                if (counts.length == order.size()) {
                    counts = Arrays.copyOf(counts, counts.length * 2);
                }
                counts[order.size()] = 0;
                order.add(s);
            }
            if (slot == RETIRED) {
                index[i] = -1;
                continue;
            }
            index[i] = slot;
            counts[slot]++;
        }
    }

    /** The series of the last round grouped, first seen first. */
    List<Series> series() {
        return order;
    }

    /** Series whose values were left out: retired since they were queued. */
    List<Series> retired() {
        return retired;
    }

    /** How many values the round has of its {@code k}th series. */
    int count(int k) {
        return counts[k];
    }

    /** How many of them its entry holds: the newest, at most {@code keep}. */
    int stored(int k) {
        return Math.min(counts[k], keep);
    }

    /** The list entry of the round's {@code k}th series. */
    byte[] entry(int k) {
        return entries.get(k);
    }
}
