package dev.pulse.server.config;

/** What REDIS_QUEUE_FULL chooses to do when the write-behind queue has no room for a request's values. */
public enum QueueFullPolicy {
    /** Keep ingesting; the oldest queued values are overwritten, each one counted as dropped. */
    DROP,
    /** Refuse the request with 503 and Retry-After: nothing answered 2xx is ever dropped. */
    REJECT
}
