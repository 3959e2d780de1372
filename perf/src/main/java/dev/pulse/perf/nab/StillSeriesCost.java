package dev.pulse.perf.nab;

import dev.pulse.bench.analytics.SeriesBenchmark;

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
 * the benchmarks' two streams. One fresh series per detector and kind ({@link DetectorRun}), fed one value a minute
 * for {@code --values} values; the time is printed for each quarter of the run, so a cost that sets in late (a decaying
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
        int quarter = values / 4;
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        System.out.println("CPU ns per value in each quarter of " + values + " values, one value a minute");
        double sink = 0;
        Map<String, double[]> kinds = opt.containsKey("limits") ? limits(values) : kinds(values);
        for (Map.Entry<String, double[]> kind : kinds.entrySet()) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-38s", kind.getKey()));
            for (String name : detectors) {
                DetectorRun run = new DetectorRun(name, kind.getValue(), 60);
                line.append(' ').append(name);
                for (int q = 0; q < 4; q++) {
                    line.append(q == 0 ? " " : "/").append(String.format(Locale.ROOT, "%.0f", run.run(quarter, cpu)));
                }
                line.append(' ');
                sink += run.sink();
            }
            System.out.println(line);
        }
        if (sink == 42) {
            System.out.println(); // keeps the scores alive
        }
    }

    /**
     * The kinds of series, seeded: the benchmarks' two (4,096 values, fed in turn), then series that mostly stand
     * still, long enough for {@code values} values.
     */
    private static Map<String, double[]> kinds(int values) {
        Map<String, double[]> kinds = new LinkedHashMap<>();
        kinds.put("noise with spikes (the benchmarks')", SeriesBenchmark.noiseWithSpikes());
        kinds.put("an error counter (the benchmarks' counts)", SeriesBenchmark.sparseCounts());
        kinds.put("zeros", series(values, i -> 0));
        kinds.put("a constant (42)", series(values, i -> 42));
        kinds.put("a square wave (0 and 1, 10 values each)", series(values, i -> (i / 10) % 2));
        kinds.put("a total that counts up", series(values, i -> i));
        kinds.put("one spike (1,000), then zeros", series(values, i -> i == 5000 ? 1000 : 0));
        SplittableRandom bursts = new SplittableRandom(7);
        kinds.put("bursts of 20 values every 50,000",
                series(values, i -> i % 50_000 < 20 ? 1000 * bursts.nextDouble() : 0));
        return kinds;
    }

    /** Noise of 1% around values near a double's limits, seeded. */
    private static Map<String, double[]> limits(int values) {
        Map<String, double[]> kinds = new LinkedHashMap<>();
        SplittableRandom r = new SplittableRandom(8);
        kinds.put("noise around 1e300", series(values, i -> 1e300 * (1 + 0.01 * r.nextGaussian())));
        kinds.put("noise around 1e-300", series(values, i -> 1e-300 * (1 + 0.01 * r.nextGaussian())));
        kinds.put("noise around 1e-310 (subnormal)", series(values, i -> 1e-310 * (1 + 0.01 * r.nextGaussian())));
        return kinds;
    }

    /** The first {@code values} values of a series, in an array of the next power of two (the rest never fed). */
    private static double[] series(int values, IntToDoubleFunction value) {
        double[] xs = new double[Integer.highestOneBit(Math.max(1, values - 1)) << 1];
        for (int i = 0; i < values; i++) {
            xs[i] = value.applyAsDouble(i);
        }
        return xs;
    }
}
