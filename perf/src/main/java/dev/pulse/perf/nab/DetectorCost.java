package dev.pulse.perf.nab;

import dev.pulse.server.analytics.Detector;
import dev.pulse.server.analytics.RollingWindow;
import dev.pulse.server.analytics.detect.Detectors;
import dev.pulse.server.config.Config;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * CPU time per value of each detector with the rolling window's z-score and update (what a series does per value,
 * less the lock), from the thread's CPU clock rather than the wall clock, so other processes on a shared machine
 * inflate it less than they inflate JMH's wall-clock figures. The same values as {@code SeriesBenchmark}; the
 * detectors take turns, round after round.
 *
 * <pre>DetectorCost [--detectors zscore,robust,pervalue,novelty] [--values 5000000] [--rounds 5]</pre>
 */
public final class DetectorCost {
    private DetectorCost() {
    }

    public static void main(String[] args) {
        Map<String, String> opt = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String[] names = opt.getOrDefault("detectors", "zscore,robust,pervalue,novelty").split(",");
        int values = Integer.parseInt(opt.getOrDefault("values", "5000000"));
        int rounds = Integer.parseInt(opt.getOrDefault("rounds", "5"));
        double[] xs = new double[4096];
        Random r = new Random(5);
        for (int i = 0; i < xs.length; i++) {
            xs[i] = 1e9 + r.nextGaussian() * 3 + (r.nextInt(100) == 0 ? 50 : 0);
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double[][] ns = new double[names.length][rounds + 1];
        double sink = 0;
        for (int round = 0; round <= rounds; round++) { // round 0 warms up
            for (int d = 0; d < names.length; d++) {
                Config config = Config.from(Map.of("DETECTOR", names[d]));
                Detector det = Detectors.factory(config).get();
                RollingWindow w = new RollingWindow(config.windowSize());
                long t0 = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < values; i++) {
                    double x = xs[i & 4095];
                    int n = w.size();
                    sink += det.observe(x, 1_700_000_000.0 + i, w.zscore(x), n);
                    w.add(x);
                }
                ns[d][round] = (mx.getCurrentThreadCpuTime() - t0) / (double) values;
            }
        }
        for (int d = 0; d < names.length; d++) {
            StringBuilder b = new StringBuilder();
            double min = Double.MAX_VALUE;
            for (int round = 1; round <= rounds; round++) {
                b.append(String.format(Locale.ROOT, " %.1f", ns[d][round]));
                min = Math.min(min, ns[d][round]);
            }
            System.out.printf(Locale.ROOT, "%s: CPU ns per value, each round:%s; least %.1f%n", names[d], b, min);
        }
        if (sink == 42) {
            System.out.println();
        }
    }
}
