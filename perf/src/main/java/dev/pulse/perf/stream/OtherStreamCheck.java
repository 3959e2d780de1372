package dev.pulse.perf.stream;

import dev.pulse.perf.nab.Flags;
import dev.pulse.perf.nab.OfflineReplay;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A second check on labelled streams, drawn unlike {@link StreamFamily}: another level, noise of 2, 5 and 20, a
 * drift that goes one way for the whole stream (a growing total) instead of a bounded triangle, daily cycles of other
 * amplitudes, a value every 30 seconds to 2 minutes, anomalies from value 200, and streams as long as a held-out
 * check's (7,600, 11,000, 22,000 and 45,000 values at one anomaly in 50, 110, 1,000 and 5,000). The anomalies and
 * the scoring are the families' ({@link FamilyCheck.Result}). Each series alternates between two cycle amplitudes and
 * two drift slopes by seed.
 *
 * <p>Set {@code a} found a noise floor that grew with a drift (EVALUATION.md, "A series that drifts far") and was
 * used to choose its half-life; set {@code b}, drawn after that, showed the floor still grew on steeper drifts and
 * judged moving the range with the trend; set {@code c}, drawn after both, reports.
 *
 * <p>With {@code --values-per-second N} the detector sees the times a server stamps on values sent without timestamps
 * at that rate ({@link FamilyCheck.Timing}).
 *
 * <pre>OtherStreamCheck [--detectors novelty] [--set a|b|c] [--values-per-second N]</pre>
 */
public final class OtherStreamCheck {
    /** One set of streams: seeds, cycle amplitudes and drift slopes (noise units), seconds between values, level. */
    record Set(long firstSeed, double[] amplitudes, double[] slopes, long stepSeconds, double level) {
        static final Set A = new Set(101, new double[] {5, 20}, new double[] {0.005, 0.02}, 60, 500);
        static final Set B = new Set(301, new double[] {3, 50}, new double[] {0.01, 0.05}, 30, 2000);
        static final Set C = new Set(501, new double[] {8, 30}, new double[] {0.003, 0.08}, 120, 10_000);
    }

    static final int SEEDS = 5;
    static final int FIRST_ANOMALY = 200;
    private static final int[] GAPS = {50, 110, 1000, 5000};
    private static final int[] ROWS = {7_600, 11_000, 22_000, 45_000};
    private static final double[] SIGMAS = {2, 5, 20};
    private static final StreamFamily.Baseline[] BASELINES = {
        StreamFamily.Baseline.FLAT, StreamFamily.Baseline.DRIFTING, StreamFamily.Baseline.DAILY};

    private OtherStreamCheck() {
    }

    /**
     * Draws one series: the family's noise, density and anomalies ({@link StreamFamily#draw(long, SplittableRandom,
     * long[], java.util.function.IntToDoubleFunction)}) over this check's baseline; {@code set} the rest.
     */
    static StreamFamily.Series draw(StreamFamily family, int rows, Set set, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed * 7919L + family.meanGap() * 31L
                + family.baseline().ordinal() * 101L + (long) family.sigma());
        double amplitude = set.amplitudes()[(int) (seed % 2)] * family.sigma();
        double slope = set.slopes()[(int) (seed % 2)] * family.sigma();
        long[] t = new long[rows];
        for (int i = 0; i < rows; i++) {
            t[i] = 1_600_000_000L + set.stepSeconds() * i;
        }
        return family.draw(seed, rnd, t, i -> set.level() + switch (family.baseline()) {
            case DRIFTING -> slope * i;
            case DAILY -> amplitude * Math.sin(2 * Math.PI * t[i] / 86_400.0);
            default -> 0.0;
        });
    }

    public static void main(String[] args) {
        Map<String, String> opt = Flags.of(args);
        String name = opt.getOrDefault("set", "c");
        Set set = name.equals("a") ? Set.A : name.equals("b") ? Set.B : Set.C;
        int valuesPerSecond = Integer.parseInt(opt.getOrDefault("values-per-second", "0"));
        FamilyCheck.Timing timing = new FamilyCheck.Timing(0, valuesPerSecond);
        for (String d : opt.getOrDefault("detectors", "novelty").split(",")) {
            Map<String, String> env = new HashMap<>(System.getenv());
            env.put("DETECTOR", d);
            OfflineReplay replay = OfflineReplay.fromEnvironment(env);
            Map<StreamFamily, FamilyCheck.Result> results = new LinkedHashMap<>();
            for (int g = 0; g < GAPS.length; g++) {
                for (StreamFamily.Baseline b : BASELINES) {
                    for (double sigma : SIGMAS) {
                        StreamFamily family = new StreamFamily(b, sigma, GAPS[g], FIRST_ANOMALY);
                        FamilyCheck.Result r = new FamilyCheck.Result();
                        for (long seed = set.firstSeed(); seed < set.firstSeed() + SEEDS; seed++) {
                            StreamFamily.Series s = draw(family, ROWS[g], set, seed);
                            r.replay(replay, "other/" + family.name() + "/" + seed, s, timing.seconds(s.epochSecond()));
                        }
                        results.put(family, r);
                    }
                }
            }
            System.out.print(FamilyCheck.markdown(d, results));
            System.out.println();
            System.out.println(d + ": " + FamilyCheck.summary(results) + " (set " + name
                    + (timing.valuesPerSecond() == 0 ? "" : ", stamped on arrival, " + timing.valuesPerSecond()
                    + " a second") + ")");
        }
    }
}
