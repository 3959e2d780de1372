package dev.pulse.server.analytics;

import dev.pulse.protocol.event.EventBatch;

/**
 * Told of every batch once it is applied, on the applying thread, before the request is answered: counters and
 * the Redis write-behind queue listen here. Must not block and must not keep references to the arrays.
 */
public interface BatchListener {
    /**
     * @param sources    the source of each event, by event index
     * @param series     the series of each metric, by metric index in the batch; null for a metric a rule ignores
     * @param nowSeconds the receive time given to events without a timestamp
     */
    void applied(EventBatch batch, Source[] sources, Series[] series, double nowSeconds);

    /**
     * Told of the values labelled data (remote write, OTLP) applied: {@code series[i]} took {@code values[i]} at
     * {@code times[i]} (epoch seconds), for {@code i < count}. Same rules as {@link #applied}; a reservation made for
     * the request's samples covers these, and what it did not use is given back with {@link #release}.
     */
    default void valuesApplied(Series[] series, double[] values, double[] times, int count) {
    }

    /**
     * Asks, before anything is applied, for room for {@code values} metric values; false refuses the request as
     * overloaded. A granted reservation is used by the next {@link #applied} or given back with {@link #release}.
     */
    default boolean reserve(int values) {
        return true;
    }

    /** Gives back a reservation the request did not use (it was refused for another reason). */
    default void release(int values) {
    }

    BatchListener NONE = (batch, sources, series, now) -> { };
}
