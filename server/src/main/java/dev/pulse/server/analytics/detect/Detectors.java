package dev.pulse.server.analytics.detect;

import dev.pulse.server.analytics.Detector;
import dev.pulse.server.config.Config;
import dev.pulse.server.config.DetectorKind;

import java.time.ZoneId;
import java.util.function.Supplier;

/** Makes each new series' detector as {@code DETECTOR} (or the series' rule) says. */
public final class Detectors {
    private Detectors() {
    }

    public static Supplier<Detector> factory(Config config) {
        return factory(config.detector(), config.zscoreThreshold(), config.minSamples(), config.windowSize(),
                config.weekTimeZone());
    }

    /**
     * Detectors of one kind with the given settings (a rule of {@code SERIES_RULES_FILE} may set each but the
     * time zone, {@code WEEK_TIME_ZONE}).
     */
    public static Supplier<Detector> factory(DetectorKind kind, double threshold, int minSamples, int windowSize,
                                             ZoneId weekTimeZone) {
        // One parameter record for all the series: per series it would cost about 180 bytes.
        RobustDetector.Params params = RobustDetector.Params.DEFAULTS.withWindow(windowSize, minSamples);
        return switch (kind) {
            case ZSCORE -> () -> new ZScoreDetector(threshold, minSamples);
            case ROBUST -> () -> new RobustDetector(params);
            case PERVALUE -> () -> new PerValueDetector(params, weekTimeZone);
            case NOVELTY -> () -> new NoveltyDetector(new PerValueDetector(params, weekTimeZone),
                    NoveltyDetector.Params.DEFAULTS);
        };
    }
}
