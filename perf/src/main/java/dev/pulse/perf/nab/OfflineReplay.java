package dev.pulse.perf.nab;

import dev.pulse.server.analytics.Detector;
import dev.pulse.server.analytics.Series;
import dev.pulse.server.analytics.SeriesRegistry;
import dev.pulse.server.analytics.detect.Detectors;
import dev.pulse.server.config.Config;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs a detector in-process over a file through the server's own {@link Series}: the window's z-score and count
 * before each value, the score a reply carries, and a new detector where the old one has outgrown the series. Same
 * configuration, same verdicts as a replay through the HTTP API, in a fraction of the time.
 */
public final class OfflineReplay {
    private final int windowSize;
    private final Supplier<Detector> detectors;

    public OfflineReplay(int windowSize, Supplier<Detector> detectors) {
        this.windowSize = windowSize;
        this.detectors = detectors;
    }

    /** The detector the server would build from {@code env} (DETECTOR, WINDOW_SIZE, MIN_SAMPLES, ...). */
    public static OfflineReplay fromEnvironment(Map<String, String> env) {
        Config config = Config.from(env);
        return new OfflineReplay(config.windowSize(), Detectors.factory(config));
    }

    public Verdicts run(NabFile f) {
        Series series = new SeriesRegistry(1, 1, windowSize, detectors).restore(SeriesRegistry.DEFAULT_SOURCE, "value");
        Verdicts v = Verdicts.of(f.rows());
        double[] xs = f.value();
        long[] ts = f.epochSecond();
        for (int i = 0; i < xs.length; i++) {
            v.anomaly()[i] = series.observe(xs[i], ts[i]);
            v.score()[i] = series.lastScore();
        }
        return v;
    }
}
