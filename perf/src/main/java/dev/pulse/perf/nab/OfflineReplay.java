package dev.pulse.perf.nab;

import dev.pulse.server.analytics.Detector;
import dev.pulse.server.analytics.RollingWindow;
import dev.pulse.server.analytics.detect.Detectors;
import dev.pulse.server.config.Config;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs a detector in-process over a file, feeding it exactly what the server's series feeds it: the z-score and
 * count of the rolling window before each value, then the value enters the window; a detector that has outgrown
 * the series is replaced by a new one, as the series replaces it. Same configuration, same
 * verdicts as a replay through the HTTP API, in a fraction of the time.
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
        Detector d = detectors.get();
        RollingWindow w = new RollingWindow(windowSize);
        Verdicts v = Verdicts.of(f.rows());
        double[] xs = f.value();
        long[] ts = f.epochSecond();
        for (int i = 0; i < xs.length; i++) {
            double x = xs[i];
            int n = w.size();
            double z = w.zscore(x);
            v.score()[i] = d.observe(x, ts[i], z, n);
            v.anomaly()[i] = d.lastAnomaly();
            if (d.outgrown()) {
                d = detectors.get(); // as the series does
            }
            w.add(x);
        }
        return v;
    }
}
