package dev.pulse.server.analytics.detect;

import dev.pulse.server.analytics.Detector;
import dev.pulse.server.config.Config;

import java.util.function.Supplier;

/** Makes each new series' detector as {@code DETECTOR} says. */
public final class Detectors {
    private Detectors() {
    }

    public static Supplier<Detector> factory(Config config) {
        double threshold = config.zscoreThreshold();
        int minSamples = config.minSamples();
        int windowSize = config.windowSize();
        return switch (config.detector()) {
            case ZSCORE -> () -> new ZScoreDetector(threshold, minSamples);
            case ROBUST -> () -> new RobustDetector(windowSize, minSamples);
            case PERVALUE -> () -> new PerValueDetector(windowSize, minSamples);
        };
    }
}
