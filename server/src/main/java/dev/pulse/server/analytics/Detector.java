package dev.pulse.server.analytics;

/**
 * One series' anomaly detector: turns each new value into a score in [0, 1] and a decision.
 *
 * <p>Not thread-safe: only the thread holding the series' lock calls it. Implementations keep their state in
 * primitive fields and arrays sized at construction, and allocate nothing per value. State is rebuilt after a
 * restart by replaying the stored history through {@link #observe}.
 */
public interface Detector {

    /**
     * Judges {@code x} against the state built from the values before it, then learns from {@code x}.
     *
     * @param x            the new value
     * @param epochSeconds the event's timestamp, Unix epoch seconds
     * @param zscore       the contract's z-score of {@code x} against the window before it; NaN when the window's
     *                     stddev is 0 and {@code x} differs from its mean
     * @param windowCount  values in the window before {@code x} entered it
     * @return the anomaly score of {@code x}, in [0, 1]
     */
    double observe(double x, double epochSeconds, double zscore, int windowCount);

    /** The decision for the value last given to {@link #observe}. */
    boolean lastAnomaly();

    /**
     * Whether the state built so far is out of all proportion to the recent values (scales learnt from a burst of
     * garbage long over), so that the series had better start a new detector than wait for this one to forget.
     */
    default boolean outgrown() {
        return false;
    }
}
