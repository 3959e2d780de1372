package dev.pulse.perf.nab;

import dev.pulse.server.analytics.Detector;
import dev.pulse.server.analytics.RollingWindow;
import dev.pulse.server.analytics.detect.Detectors;
import dev.pulse.server.config.Config;

import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.Random;

/**
 * One series' detector at work, less the lock: the rolling window's z-score and update, then the detector, fed the
 * values of {@code SeriesBenchmark} one second apart, timed by the thread's CPU clock. The series goes on from round
 * to round, as in the benchmark. Not thread-safe.
 */
final class DetectorRun {
    private static final double[] VALUES = values();

    private final Detector detector;
    private final RollingWindow window;
    private final double[] values; // fed in turn, from the first again after the last
    private final int mask;        // values.length - 1
    private final double step;     // seconds between two values
    private long next;      // values fed so far
    private double sink;    // the scores' sum, so no work is dead

    /** {@code name}: a {@code DETECTOR} value, built as the server builds it; fed {@code SeriesBenchmark}'s values. */
    DetectorRun(String name) {
        this(name, VALUES, 1.0);
    }

    /** Fed {@code values} (a power of two of them) {@code stepSeconds} apart. */
    DetectorRun(String name, double[] values, double stepSeconds) {
        if (Integer.bitCount(values.length) != 1) {
            throw new IllegalArgumentException("values: " + values.length + ", not a power of two");
        }
        Config config = Config.from(Map.of("DETECTOR", name));
        detector = Detectors.factory(config).get();
        window = new RollingWindow(config.windowSize());
        this.values = values;
        this.mask = values.length - 1;
        this.step = stepSeconds;
    }

    /** Feeds {@code values} more values; returns the thread's CPU nanoseconds per value. */
    double run(int values, ThreadMXBean cpu) {
        double[] xs = this.values;
        int mask = this.mask;
        double step = this.step;
        Detector d = detector;
        RollingWindow w = window;
        long i = next;
        double s = sink;
        long t0 = cpu.getCurrentThreadCpuTime();
        for (int k = 0; k < values; k++, i++) {
            double x = xs[(int) i & mask];
            int n = w.size();
            s += d.observe(x, 1_700_000_000.0 + i * step, w.zscore(x), n);
            w.add(x);
        }
        long spent = cpu.getCurrentThreadCpuTime() - t0;
        next = i;
        sink = s;
        return spent / (double) values;
    }

    double sink() {
        return sink;
    }

    private static double[] values() {
        double[] xs = new double[4096];
        Random r = new Random(5);
        for (int i = 0; i < xs.length; i++) {
            xs[i] = 1e9 + r.nextGaussian() * 3 + (r.nextInt(100) == 0 ? 50 : 0);
        }
        return xs;
    }
}
