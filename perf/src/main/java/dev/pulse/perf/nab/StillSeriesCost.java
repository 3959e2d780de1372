package dev.pulse.perf.nab;

import dev.pulse.server.analytics.Detector;
import dev.pulse.server.analytics.RollingWindow;
import dev.pulse.server.analytics.detect.Detectors;
import dev.pulse.server.config.Config;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;

/**
 * CPU time per value of each detector (with the rolling window's z-score and update) on series that mostly stand
 * still, which real fleets are full of (error counters, gauges stuck at a value, a total that only counts up), beside
 * the benchmarks' noise with spikes. One fresh series per detector and kind, fed one value a minute for
 * {@code --values} values; the time is printed for each quarter of the run, so a cost that sets in late (a decaying
 * average reaching subnormal numbers, see {@code FlushToZero}) shows. Run it with one build's jar on the class path,
 * then another's. With {@code --limits yes} it feeds series near a double's limits instead (no metric draws them).
 *
 * <pre>
 * StillSeriesCost [--detectors robust,pervalue,novelty] [--values 4000000] [--limits yes]
 * </pre>
 */
public final class StillSeriesCost {
    private StillSeriesCost() {
    }

    public static void main(String[] args) {
        if (args.length % 2 != 0 || Arrays.asList(args).contains("--help")) {
            System.out.println("StillSeriesCost [--detectors robust,pervalue,novelty] [--values 4000000]"
                    + " [--limits yes]");
            return;
        }
        Map<String, String> opt = Flags.of(args);
        String[] detectors = opt.getOrDefault("detectors", "robust,pervalue,novelty").split(",");
        int values = Integer.parseInt(opt.getOrDefault("values", "4000000"));
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        System.out.println("CPU ns per value in each quarter of " + values + " values, one value a minute");
        double sink = 0;
        Map<String, IntToDoubleFunction> kinds = opt.containsKey("limits") ? limits() : kinds();
        for (Map.Entry<String, IntToDoubleFunction> kind : kinds.entrySet()) {
            double[] xs = new double[values];
            for (int i = 0; i < values; i++) {
                xs[i] = kind.getValue().applyAsDouble(i);
            }
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-38s", kind.getKey()));
            for (String name : detectors) {
                Config config = Config.from(Map.of("DETECTOR", name));
                Detector d = Detectors.factory(config).get();
                RollingWindow w = new RollingWindow(config.windowSize());
                line.append(' ').append(name);
                int quarter = values / 4;
                for (int q = 0; q < 4; q++) {
                    long t0 = cpu.getCurrentThreadCpuTime();
                    for (int i = q * quarter; i < (q + 1) * quarter; i++) {
                        double x = xs[i];
                        sink += d.observe(x, 1_700_000_000.0 + 60.0 * i, w.zscore(x), w.size());
                        w.add(x);
                    }
                    double ns = (cpu.getCurrentThreadCpuTime() - t0) / (double) quarter;
                    line.append(q == 0 ? " " : "/").append(String.format(Locale.ROOT, "%.0f", ns));
                }
                line.append(' ');
            }
            System.out.println(line);
        }
        if (sink == 42) {
            System.out.println(); // keeps the scores alive
        }
    }

    /** The kinds of series, seeded: the benchmarks' noise first, then series that mostly stand still. */
    private static Map<String, IntToDoubleFunction> kinds() {
        Map<String, IntToDoubleFunction> kinds = new LinkedHashMap<>();
        SplittableRandom noise = new SplittableRandom(5);
        kinds.put("noise with spikes (the benchmarks')",
                i -> 1e9 + noise.nextGaussian() * 3 + (noise.nextInt(100) == 0 ? 50 : 0));
        kinds.put("zeros", i -> 0);
        kinds.put("a constant (42)", i -> 42);
        kinds.put("a square wave (0 and 1, 10 values each)", i -> (i / 10) % 2);
        SplittableRandom counts = new SplittableRandom(6);
        kinds.put("an error counter (a 1 in 1,000 values)", i -> counts.nextInt(1000) == 0 ? 1 : 0);
        kinds.put("a total that counts up", i -> i);
        kinds.put("one spike (1,000), then zeros", i -> i == 5000 ? 1000 : 0);
        SplittableRandom bursts = new SplittableRandom(7);
        kinds.put("bursts of 20 values every 50,000", i -> i % 50_000 < 20 ? 1000 * bursts.nextDouble() : 0);
        return kinds;
    }

    /** Noise of 1% around values near a double's limits, seeded. */
    private static Map<String, IntToDoubleFunction> limits() {
        Map<String, IntToDoubleFunction> kinds = new LinkedHashMap<>();
        SplittableRandom r = new SplittableRandom(8);
        kinds.put("noise around 1e300", i -> 1e300 * (1 + 0.01 * r.nextGaussian()));
        kinds.put("noise around 1e-300", i -> 1e-300 * (1 + 0.01 * r.nextGaussian()));
        kinds.put("noise around 1e-310 (subnormal)", i -> 1e-310 * (1 + 0.01 * r.nextGaussian()));
        return kinds;
    }
}
