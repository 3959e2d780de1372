package dev.pulse.server.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The anomaly detectors a deployment can choose with DETECTOR. */
public enum DetectorKind {
    /** The contract's rule: |z| over the rolling window above ZSCORE_THRESHOLD. */
    ZSCORE,
    /** A streaming detector tuned on labelled data; see EVALUATION.md. */
    ROBUST;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static String names() {
        return Arrays.stream(values()).map(DetectorKind::configName).collect(Collectors.joining(", "));
    }
}
