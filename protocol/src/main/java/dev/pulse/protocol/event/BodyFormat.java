package dev.pulse.protocol.event;

/** How a request body lays out its events. Both go through the same decoder. */
public enum BodyFormat {
    /** {@code application/json}: one event object, or an array of them. */
    JSON,
    /** {@code application/x-ndjson}: one event object per line; blank lines are skipped. */
    NDJSON
}
