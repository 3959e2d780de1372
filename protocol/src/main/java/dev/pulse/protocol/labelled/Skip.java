package dev.pulse.protocol.labelled;

/**
 * Why a sample of labelled data (remote write, OTLP) was not applied: the {@code reason} label of
 * {@code samples_skipped_total}. The decoders decide the first four, the server the rest.
 */
public enum Skip {
    /** NaN or an infinite value. */
    NAN("nan"),
    /** Prometheus' staleness marker, or an OTLP point flagged as having no recorded value. */
    STALE("stale"),
    /** A histogram, exponential histogram or summary point, or a native histogram sample. */
    UNSUPPORTED_TYPE("unsupported_type"),
    /** No metric name, a name or label too long, too many labels, or a source that cannot be made valid. */
    BAD_NAME("bad_name"),
    /** Not later than the last sample accepted for its series. */
    OUT_OF_ORDER("out_of_order"),
    /** A limit on sources or series would be passed. */
    LIMIT("limit"),
    /** A rule of the server's rules file ignores the metric. */
    IGNORED("ignored");

    private final String label;

    Skip(String label) {
        this.label = label;
    }

    /** The value of the metric's {@code reason} label. */
    public String label() {
        return label;
    }

    private static final Skip[] ALL = values();

    public static Skip of(int ordinal) {
        return ALL[ordinal];
    }
}
