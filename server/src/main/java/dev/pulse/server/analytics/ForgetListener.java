package dev.pulse.server.analytics;

/**
 * Told when series leave the registry (expired or deleted), so that what is kept elsewhere of them goes too: their
 * Redis keys, their firing alert. Called under the registry's creation lock, so no series of the same name can be
 * created before the listener has returned: what it queues is ordered before anything a new series queues. Must
 * not block.
 */
public interface ForgetListener {
    /**
     * @param source          the source of the series
     * @param series          the series forgotten, already retired
     * @param sourceForgotten whether the source is gone too (it has no series left)
     * @param deleted         true for {@code DELETE /series}, false for expiry
     */
    void forgotten(Source source, Series[] series, boolean sourceForgotten, boolean deleted);
}
