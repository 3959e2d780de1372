package dev.pulse.perf.stream;

import dev.pulse.perf.nab.NabFile;
import dev.pulse.perf.nab.OfflineReplay;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Flags per detector on series with no anomaly in them, of kinds the {@link StreamFamily families} do not draw:
 * heavy tails (Student's t with 3 and 5 degrees of freedom, Laplace), a skewed level (log-normal), a small count
 * (Poisson, mean 5), a slowly wandering level (AR(1), 0.95) and a random walk; and series whose noise changes for
 * good half-way: a series that sat still at one value and starts moving (sigma 5), and noise that grows tenfold
 * (sigma 0.5 to 5). Every flag is a false alarm by the families' measure (where the noise changes, a flag or two at
 * the change is what a user would want), and the first values are counted too, so this shows what a detector says
 * on a new series that is not Gaussian noise. Ten seeds of 20,000 values, five minutes apart, per kind.
 *
 * <pre>NoiseCheck [--detectors robust,pervalue,novelty]</pre>
 */
public final class NoiseCheck {
    static final int VALUES = 20_000;
    static final int SEEDS = 10;
    static final String[] KINDS = {"student-t 3", "student-t 5", "laplace", "log-normal", "poisson 5", "ar(1) 0.95",
        "random walk", "still, then sigma 5", "sigma 0.5, then 5"};

    private NoiseCheck() {
    }

    public static void main(String[] args) {
        String detectors = args.length == 2 && args[0].equals("--detectors") ? args[1] : "robust,pervalue,novelty";
        System.out.println("| detector | kind | flagged values | share |");
        System.out.println("| --- | --- | ---: | ---: |");
        for (String d : detectors.split(",")) {
            Map<String, String> env = new HashMap<>(System.getenv());
            env.put("DETECTOR", d);
            OfflineReplay replay = OfflineReplay.fromEnvironment(env);
            for (String kind : KINDS) {
                long flags = 0;
                for (int seed = 1; seed <= SEEDS; seed++) {
                    for (boolean b : replay.run(draw(kind, seed)).anomaly()) {
                        flags += b ? 1 : 0;
                    }
                }
                System.out.printf(Locale.ROOT, "| %s | %s | %d | %.3f%% |%n", d, kind, flags,
                        100.0 * flags / ((long) VALUES * SEEDS));
            }
        }
    }

    static NabFile draw(String kind, long seed) {
        SplittableRandom r = new SplittableRandom(seed * 7_919L + kind.hashCode());
        double[] v = new double[VALUES];
        long[] t = new long[VALUES];
        double level = 0;
        for (int i = 0; i < VALUES; i++) {
            t[i] = StreamFamily.START_EPOCH + (long) i * StreamFamily.STEP_SECONDS;
            double g = r.nextGaussian();
            v[i] = switch (kind) {
                case "student-t 3" -> 100 + 5 * g / Math.sqrt(chiSquare(r, 3) / 3);
                case "student-t 5" -> 100 + 5 * g / Math.sqrt(chiSquare(r, 5) / 5);
                case "laplace" -> {
                    double u = r.nextDouble() - 0.5;
                    yield 100 - 5 * Math.signum(u) * Math.log(1 - 2 * Math.abs(u));
                }
                case "log-normal" -> 100 * Math.exp(0.5 * g);
                case "poisson 5" -> poisson(r, 5);
                case "ar(1) 0.95" -> {
                    level = 0.95 * level + g;
                    yield 100 + 5 * level;
                }
                case "random walk" -> {
                    level += g;
                    yield 100 + level;
                }
                case "still, then sigma 5" -> i < VALUES / 2 ? 100 : 100 + 5 * g;
                case "sigma 0.5, then 5" -> 100 + (i < VALUES / 2 ? 0.5 : 5) * g;
                default -> throw new IllegalArgumentException(kind);
            };
        }
        return new NabFile("noise/" + kind + "/" + seed, t, v, new int[0][]);
    }

    private static double chiSquare(SplittableRandom r, int degrees) {
        double s = 0;
        for (int i = 0; i < degrees; i++) {
            double g = r.nextGaussian();
            s += g * g;
        }
        return s;
    }

    /** Knuth's method: fine for a small mean. */
    private static int poisson(SplittableRandom r, double mean) {
        double limit = Math.exp(-mean);
        double p = 1;
        int k = 0;
        do {
            k++;
            p *= r.nextDouble();
        } while (p > limit);
        return k - 1;
    }
}
