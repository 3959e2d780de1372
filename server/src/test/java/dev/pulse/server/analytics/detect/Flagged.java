package dev.pulse.server.analytics.detect;

/** Counts of a detector's flags, as the detector tests read them. */
final class Flagged {
    private Flagged() {
    }

    /** How many of {@code flags} are set. */
    static int count(boolean[] flags) {
        return count(flags, 0, flags.length);
    }

    /** How many of {@code flags[from]} to {@code flags[to - 1]} are set. */
    static int count(boolean[] flags, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            n += flags[i] ? 1 : 0;
        }
        return n;
    }

    /** How many of the flags every {@code step} from {@code from} on are set. */
    static int every(boolean[] flags, int from, int step) {
        int n = 0;
        for (int i = from; i < flags.length; i += step) {
            n += flags[i] ? 1 : 0;
        }
        return n;
    }
}
