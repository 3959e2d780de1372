package dev.pulse.bench.analytics;

import dev.pulse.bench.BenchmarkDefaults;
import dev.pulse.perf.nab.NabTune;
import dev.pulse.server.analytics.Detector;
import dev.pulse.server.analytics.RollingWindow;
import dev.pulse.server.analytics.Series;
import dev.pulse.server.analytics.SeriesRegistry;
import dev.pulse.server.analytics.detect.Detectors;
import dev.pulse.server.analytics.detect.RobustDetector;
import dev.pulse.server.config.Config;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/** One value into one series: the window's z-score and update alone, and with the detector (ns/op). */
@State(Scope.Thread)
public class SeriesBenchmark extends BenchmarkDefaults {
    @Param({"zscore", "robust", "pervalue", "novelty"})
    public String detector;

    /**
     * The values: {@code spikes} ({@link #noiseWithSpikes}), or {@code counts}, an error counter ({@link #sparseCounts}):
     * a series that mostly stands still, whose decaying averages head for 0.
     */
    @Param({"spikes", "counts"})
    public String stream;

    /** The values the robust detector's median baseline averages over (tuned default 384); ignored by zscore. */
    @Param({"384"})
    public int baselineValues;

    private double[] values;
    private int next;
    private RollingWindow window;
    private Series series;

    /**
     * The values every series benchmark takes in turn: Gaussian noise of 3 around 1e9, a spike of 50 in one value of a
     * hundred, seeded; 4,096 of them.
     */
    public static double[] noiseWithSpikes() {
        Random r = new Random(5);
        double[] values = new double[4096];
        for (int i = 0; i < values.length; i++) {
            values[i] = 1e9 + r.nextGaussian() * 3 + (r.nextInt(100) == 0 ? 50 : 0);
        }
        return values;
    }

    /** An error counter: 0, and 1 in about one value of a thousand, seeded; 4,096 values. */
    public static double[] sparseCounts() {
        Random r = new Random(5);
        double[] values = new double[4096];
        for (int i = 0; i < values.length; i++) {
            values[i] = r.nextInt(1000) == 0 ? 1 : 0;
        }
        return values;
    }

    @Setup
    public void setUp() {
        values = stream.equals("counts") ? sparseCounts() : noiseWithSpikes();
        window = new RollingWindow(50);
        Config config = Config.from(Map.of("DETECTOR", detector));
        // The robust detector as the server builds it from the same settings, with only its baseline changed.
        RobustDetector.Params robust = NabTune.with(
                RobustDetector.Params.DEFAULTS.withWindow(config.windowSize(), config.minSamples()),
                "baselineValues", baselineValues);
        Supplier<Detector> detectors = detector.equals("robust") ? () -> new RobustDetector(robust)
                : Detectors.factory(config);
        series = new SeriesRegistry(10, 10, 50, detectors).restore("bench", "cpu");
    }

    @Benchmark
    public double windowZscoreAndAdd() {
        double x = values[next++ & 4095];
        double z = window.zscore(x);
        window.add(x);
        return z;
    }

    @Benchmark
    public boolean seriesObserve() {
        double x = values[next++ & 4095];
        synchronized (series.source()) {
            return series.observe(x, 1_700_000_000.0 + next);
        }
    }
}
