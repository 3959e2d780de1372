package dev.pulse.server.analytics;

/** Chooses each new series' settings, or says its values are ignored. Called under the registry's creation lock. */
@FunctionalInterface
public interface SeriesPolicy {
    /** The settings of a new series of {@code metric} in {@code source}, or null when its values are ignored. */
    SeriesSpec specFor(String source, String metric);
}
