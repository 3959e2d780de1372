package dev.pulse.server.analytics;

/**
 * Told of every value a detector flagged, on the applying thread, once its request is applied and before the
 * request is answered and before its values reach the write-behind queue. Must not block and must not allocate
 * per call: the anomaly log and the alert queue listen here.
 */
public interface AnomalySink {
    /**
     * @param series       the flagged series (its source and metric names are the anomaly's labels)
     * @param epochSeconds the value's own timestamp, or the time it was received when the event had none
     * @param zscore       NaN when undefined (constant window, value off its mean)
     */
    void flagged(Series series, double epochSeconds, double value, double mean, double stddev, double zscore,
                 double score);

    AnomalySink NONE = (series, t, value, mean, stddev, zscore, score) -> { };

    /** Tells {@code first}, then {@code second}. */
    static AnomalySink both(AnomalySink first, AnomalySink second) {
        return (series, t, value, mean, stddev, zscore, score) -> {
            first.flagged(series, t, value, mean, stddev, zscore, score);
            second.flagged(series, t, value, mean, stddev, zscore, score);
        };
    }
}
