package dev.pulse.perf.nab;

/**
 * The outcome of scoring detections on one or more files under one profile.
 *
 * @param raw             NAB's raw score: window rewards, minus missed windows and false positives, weighted
 * @param windows         windows that could be found (at least one row after the probationary period)
 * @param windowsDetected windows with at least one detection
 * @param falsePositives  detections outside every window (scored rows only)
 * @param scoredRows      rows after the probationary period
 */
public record Tally(Profile profile, double raw, int windows, int windowsDetected, long falsePositives,
                    long scoredRows) {

    public static Tally empty(Profile profile) {
        return new Tally(profile, 0.0, 0, 0, 0, 0);
    }

    public Tally plus(Tally o) {
        return new Tally(profile, raw + o.raw, windows + o.windows, windowsDetected + o.windowsDetected,
                falsePositives + o.falsePositives, scoredRows + o.scoredRows);
    }

    /** The raw score of detecting nothing: every window missed. */
    public double nullRaw() {
        return -profile.fnWeight() * windows;
    }

    /** The raw score of detecting every window at its left edge and nothing else. */
    public double perfectRaw() {
        return profile.tpWeight() * windows;
    }

    /**
     * NAB's normalised score: 0 for the null detector, 100 for the perfect one. Files without windows can only lose
     * points, so a set of files without any window has no normalised score (NaN).
     */
    public double normalized() {
        double range = perfectRaw() - nullRaw();
        return range == 0 ? Double.NaN : 100.0 * (raw - nullRaw()) / range;
    }

    /** False positives per 1,000 scored rows. */
    public double falsePositivesPerThousand() {
        return scoredRows == 0 ? 0.0 : 1000.0 * falsePositives / scoredRows;
    }
}
