package dev.pulse.server.analytics;

import java.util.function.Supplier;

/**
 * What a new series is built with: the rule that chose its settings ({@code null} for the global ones), its window
 * and its detector. Immutable; shared by every series the same rule made.
 *
 * @param rule       the name of the rule the series follows, or null for the global settings
 * @param detector   the detector's name, as {@code DETECTOR} spells it
 * @param windowSize values in the rolling window
 * @param threshold  the z-score threshold
 * @param minSamples values the window must hold before anything is flagged
 * @param detectors  makes the detector of each new series
 */
public record SeriesSpec(String rule, String detector, int windowSize, double threshold, int minSamples,
                         Supplier<Detector> detectors) {
}
