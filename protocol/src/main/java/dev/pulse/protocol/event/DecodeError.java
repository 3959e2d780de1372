package dev.pulse.protocol.event;

/** Why a body was refused. Every reason answers 400. */
public enum DecodeError {
    /** Not JSON: the error carries the byte offset where parsing failed. */
    MALFORMED("malformed"),
    /** A field has a value of the wrong JSON type, or the body's structure is not an event or a batch. */
    WRONG_TYPE("wrong_type"),
    /** A metric or timestamp is NaN, infinite or too large for a double. */
    NOT_FINITE("not_finite"),
    /** A source or metric name breaks the naming rule. */
    BAD_NAME("bad_name"),
    /** The same field twice in one event. */
    DUPLICATE_FIELD("duplicate_field"),
    /** An event without a metric. */
    NO_METRIC("no_metric"),
    /** An array or NDJSON body without events. */
    EMPTY_BATCH("empty_batch");

    private final String label;

    DecodeError(String label) {
        this.label = label;
    }

    /** The value of the {@code reason} label in {@code events_rejected_total}. */
    public String label() {
        return label;
    }
}
