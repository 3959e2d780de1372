package dev.pulse.perf.nab;

import dev.pulse.perf.cpu.AlternatingRounds;
import dev.pulse.perf.cpu.BuildInstance;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * CPU time per value of each detector with the rolling window's z-score and update (what a series does per value,
 * less the lock), from the thread's CPU clock rather than the wall clock, so other processes on a shared machine
 * inflate it less than they inflate JMH's wall-clock figures. The same values as {@code SeriesBenchmark}; the
 * detectors take turns, round after round, each a fresh series.
 *
 * <pre>
 * DetectorCost [--detectors zscore,robust,pervalue,novelty] [--values 5000000] [--rounds 5]
 * DetectorCost --jars before.jar,after.jar [--detectors robust,pervalue,novelty] [--values 2000000] [--rounds 21]
 * </pre>
 *
 * <p>With {@code --jars} it compares builds instead: each build's server classes come from its jar, in a class loader
 * of its own (the timing loop, {@link DetectorRun}, from the class path's jar where the build has none); per
 * detector, every build's series is warmed up, then rounds of {@code --values} values alternate between the builds,
 * so every build sees the same load. It prints each build's median and least CPU ns per value and the median (and
 * quartiles) of the per-round ratio to the first build.
 */
public final class DetectorCost {
    private DetectorCost() {
    }

    public static void main(String[] args) throws ReflectiveOperationException, MalformedURLException {
        if (args.length % 2 != 0 || Arrays.asList(args).contains("--help")) {
            System.out.println("DetectorCost [--detectors zscore,robust,pervalue,novelty] [--values 5000000]"
                    + " [--rounds 5]\nDetectorCost --jars before.jar,after.jar [--detectors robust,pervalue,novelty]"
                    + " [--values 2000000] [--rounds 21]");
            return;
        }
        Map<String, String> opt = Flags.of(args);
        if (opt.containsKey("jars")) {
            compare(opt.get("jars").split(","), opt.getOrDefault("detectors", "robust,pervalue,novelty").split(","),
                    Integer.parseInt(opt.getOrDefault("values", "2000000")),
                    Integer.parseInt(opt.getOrDefault("rounds", "21")));
            return;
        }
        String[] names = opt.getOrDefault("detectors", "zscore,robust,pervalue,novelty").split(",");
        int values = Integer.parseInt(opt.getOrDefault("values", "5000000"));
        int rounds = Integer.parseInt(opt.getOrDefault("rounds", "5"));
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double[][] ns = new double[names.length][rounds + 1];
        double sink = 0;
        for (int round = 0; round <= rounds; round++) { // round 0 warms up
            for (int d = 0; d < names.length; d++) {
                DetectorRun run = new DetectorRun(names[d]);
                ns[d][round] = run.run(values, mx);
                sink += run.sink();
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

    private static void compare(String[] jars, String[] names, int values, int rounds)
            throws ReflectiveOperationException, MalformedURLException {
        int builds = jars.length;
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        for (String name : names) {
            BuildInstance[] series = new BuildInstance[builds];
            Method[] run = new Method[builds];
            for (int j = 0; j < builds; j++) {
                series[j] = BuildInstance.of(jars[j], DetectorRun.class, name);
                run[j] = series[j].method("run", int.class, ThreadMXBean.class);
                series[j].call(run[j], 5 * values, cpu); // warm-up
            }
            double[][] perValue = AlternatingRounds.run(builds, rounds, j -> series[j].call(run[j], values, cpu));
            System.out.println(AlternatingRounds.summary(name, perValue));
        }
        System.out.println("CPU ns per value (thread CPU time), " + rounds + " rounds of " + values
                + " values each; [j]: " + String.join(" ", jars));
    }
}
