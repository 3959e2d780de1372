package dev.pulse.server.analytics;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The sources by name: an open-addressing table keyed by the name's characters, so a decoded source name (a range of
 * a char array) is found without building a String, without locking and without allocating. Additions and removals
 * are made under the registry's creation lock; a new entry is published with a volatile store, so readers never see
 * a half-built source. A removed source leaves a tombstone (a probe goes on past it, so lock-free readers never miss
 * an entry behind it), and the table is rebuilt, tombstones dropped, when live entries and tombstones fill half of it.
 */
final class SourceTable {
    /** Marks a removed slot; no name equals it. */
    private static final Source TOMBSTONE = new Source("", 0);

    private final int seed = (int) System.nanoTime() | 1;                       // per process: collisions unforeseeable
    private volatile AtomicReferenceArray<Source> table = new AtomicReferenceArray<>(64); // replaced under the lock
    private int tombstones;                                                    // guarded by the creation lock

    /** The source named by {@code chars[offset, offset+length)}, or null. Any thread. */
    Source find(char[] chars, int offset, int length) {
        int h = hash(chars, offset, length);
        AtomicReferenceArray<Source> t = table;
        int mask = t.length() - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            Source s = t.get(i);
            if (s == null) {
                return null;
            }
            if (s.hash() == h && s != TOMBSTONE && s.nameEquals(chars, offset, length)) {
                return s;
            }
        }
    }

    int hash(char[] chars, int offset, int length) {
        int h = seed;
        for (int i = offset, end = offset + length; i < end; i++) {
            h = (h ^ chars[i]) * 0x9E3779B1;
        }
        return h ^ (h >>> 16);
    }

    /** Adds {@code s}, not yet in the table, beside {@code live} others. Holds the creation lock. */
    void add(Source s, int live) {
        AtomicReferenceArray<Source> t = table;
        if ((live + tombstones + 1) * 2 > t.length()) {
            t = rebuild(t, capacityFor(live + 1));
            table = t;
            tombstones = 0;
        }
        put(t, s);
    }

    /** Replaces the source's entry by a tombstone. Holds the creation lock. */
    void remove(Source s) {
        AtomicReferenceArray<Source> t = table;
        int mask = t.length() - 1;
        for (int i = s.hash() & mask; t.get(i) != null; i = (i + 1) & mask) {
            if (t.get(i) == s) {
                t.set(i, TOMBSTONE);
                tombstones++;
                return;
            }
        }
        throw new IllegalStateException("source " + s.name() + " is not in the table");
    }

    /** A power of two at least three times {@code live} (and 64): a third full or less after a rebuild. */
    private static int capacityFor(int live) {
        int c = 64;
        while (c < live * 3) {
            c <<= 1;
        }
        return c;
    }

    private static AtomicReferenceArray<Source> rebuild(AtomicReferenceArray<Source> old, int capacity) {
        AtomicReferenceArray<Source> t = new AtomicReferenceArray<>(capacity);
        for (int i = 0; i < old.length(); i++) {
            Source s = old.get(i);
            if (s != null && s != TOMBSTONE) {
                put(t, s);
            }
        }
        return t;
    }

    private static void put(AtomicReferenceArray<Source> t, Source s) {
        int mask = t.length() - 1;
        int i = s.hash() & mask;
        while (t.get(i) != null) {
            i = (i + 1) & mask;
        }
        t.set(i, s);
    }
}
