package dev.pulse.server.config;

/** The anomaly detectors a deployment can choose with DETECTOR. */
public enum DetectorKind {
    /** The contract's rule: |z| over the rolling window above ZSCORE_THRESHOLD. */
    ZSCORE,
    /** A streaming detector tuned on labelled data; see EVALUATION.md. */
    ROBUST,
    /** The robust detector's rules plus a per-value outlier rule that never learns spikes; see EVALUATION.md. */
    PERVALUE,
    /** The robust detector's rules plus an alarm on a run of recent shapes the series never drew; see EVALUATION.md. */
    NOVELTY
}
