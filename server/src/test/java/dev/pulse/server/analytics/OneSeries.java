package dev.pulse.server.analytics;

import dev.pulse.server.analytics.detect.Detectors;
import dev.pulse.server.config.DetectorKind;

import java.time.ZoneOffset;

/** A lone series under a detector with the contract's defaults (window 50, threshold 2, 10 samples, weeks in UTC). */
final class OneSeries {
    private OneSeries() {
    }

    static Series of(DetectorKind kind) {
        SeriesSpec spec = new SeriesSpec(null, kind.name(), 50, 2.0, 10,
                Detectors.factory(kind, 2.0, 10, 50, ZoneOffset.UTC));
        return new SeriesRegistry(10, 8, 10, (src, m) -> spec).restore("host", "cpu");
    }
}
