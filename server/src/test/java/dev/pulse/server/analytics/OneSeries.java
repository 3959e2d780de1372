package dev.pulse.server.analytics;

import dev.pulse.server.analytics.detect.Detectors;
import dev.pulse.server.config.DetectorKind;

import java.time.ZoneOffset;

/** A lone series under a detector with the contract's defaults (window 50, threshold 2, 10 samples, weeks in UTC). */
final class OneSeries {
    private OneSeries() {
    }

    static Series of(DetectorKind kind) {
        SeriesRegistry registry = new SeriesRegistry(1, 1, 50, Detectors.factory(kind, 2.0, 10, 50, ZoneOffset.UTC));
        return registry.restore("host", "cpu");
    }
}
