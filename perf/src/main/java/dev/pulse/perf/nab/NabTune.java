package dev.pulse.perf.nab;

import dev.pulse.server.analytics.detect.RobustDetector;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Tunes {@link RobustDetector.Params} by coordinate descent on the NAB tuning split only: each parameter in turn
 * takes the candidate value that scores best (standard profile, the detector's own decisions), others held, for a
 * few rounds. A candidate whose synthetic recall falls under 0.95 on any baseline is penalised, so the tuned
 * detector stays sensitive to clean spikes, dips, shifts and bursts. The test split is scored only once, at the
 * end, for the report.
 *
 * <pre>NabTune [--rounds 2]</pre>
 */
public final class NabTune {
    private NabTune() {
    }

    /** Candidate values per parameter, in the order they are tuned. */
    static Map<String, double[]> candidates() {
        Map<String, double[]> c = new LinkedHashMap<>();
        c.put("quietValues", new double[] {30, 50, 80, 120});
        c.put("sustainedZ", new double[] {3.5, 4, 4.5, 5});
        c.put("shortValues", new double[] {10, 15, 20, 30});
        c.put("outlierTail", new double[] {0.75, 1, 1.25, 1.5});
        c.put("outlierFloor", new double[] {3, 4, 5, 6});
        c.put("rangeMargin", new double[] {0.02, 0.05, 0.1});
        c.put("seasonalAdvantage", new double[] {1.5, 2, 3});
        c.put("levelAlpha", new double[] {0.02, 0.05, 0.1});
        c.put("slotAlpha", new double[] {0.05, 0.1, 0.2});
        c.put("longHalfLife", new double[] {2000, 5000, 10000});
        c.put("errorHalfLife", new double[] {1000, 2000, 5000});
        c.put("baselineValues", new double[] {128, 256, 384});
        c.put("warmUp", new double[] {100, 300});
        c.put("outlierTailLimit", new double[] {2, 2.5, 3, 1e9});
        return c;
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length >= 2 && args[0].equals("--rounds") ? Integer.parseInt(args[1]) : 2;
        List<NabFile> all = NabCorpus.load(NabCorpus.directory());
        List<NabFile> tuning = new ArrayList<>();
        List<NabFile> test = new ArrayList<>();
        for (NabFile f : all) {
            (NabCorpus.isTuning(f) ? tuning : test).add(f);
        }
        if (args.length >= 1 && args[0].equals("--score")) {
            score(Arrays.copyOfRange(args, 1, args.length), all, test);
            return;
        }
        RobustDetector.Params best = RobustDetector.Params.DEFAULTS;
        double bestObjective = objective(best, tuning);
        System.out.printf(Locale.ROOT, "start: %s -> %.2f%n", best, bestObjective);
        for (int round = 0; round < rounds; round++) {
            for (Map.Entry<String, double[]> e : candidates().entrySet()) {
                for (double v : e.getValue()) {
                    RobustDetector.Params p = with(best, e.getKey(), v);
                    if (p.equals(best)) {
                        continue;
                    }
                    double o = objective(p, tuning);
                    if (o > bestObjective + 1e-9) {
                        best = p;
                        bestObjective = o;
                        System.out.printf(Locale.ROOT, "round %d: %s=%s -> %.2f%n", round, e.getKey(), v, o);
                    }
                }
            }
        }
        System.out.println("tuned: " + best);
        System.out.printf(Locale.ROOT, "tuning split %.2f, test split %.2f (standard, decisions)%n",
                nab(best, tuning), nab(best, test));
    }

    /**
     * Scores the defaults with some parameters changed ({@code name=value} each): what a change costs or gains on
     * NAB before anyone tunes around it, e.g. {@code --score baselineValues=128}.
     */
    static void score(String[] changes, List<NabFile> all, List<NabFile> test) {
        RobustDetector.Params p = RobustDetector.Params.DEFAULTS;
        for (String change : changes) {
            String[] kv = change.split("=", 2);
            p = with(p, kv[0], Double.parseDouble(kv[1]));
        }
        System.out.printf(Locale.ROOT, "%s: standard %.2f over all files, %.2f on the test split; "
                        + "reward_low_FP_rate %.2f over all files%n", changes.length == 0 ? "defaults"
                        : String.join(" ", changes), nab(p, all), nab(p, test),
                nab(p, all, Profile.REWARD_LOW_FP_RATE));
    }

    /** NAB standard score of the decisions on {@code files}, less 100 per unit of synthetic recall under 0.95. */
    static double objective(RobustDetector.Params p, List<NabFile> files) {
        double penalty = 0;
        Map<SyntheticStream.Baseline, SyntheticCheck.Result> syn =
                SyntheticCheck.run(new OfflineReplay(50, () -> new RobustDetector(p)), 3, 20_000);
        for (SyntheticCheck.Result r : syn.values()) {
            penalty += 100 * Math.max(0, 0.95 - r.recall()) + 100 * Math.max(0, r.falsePositiveRate() - 0.01);
        }
        return nab(p, files, OBJECTIVE) - penalty;
    }

    static double nab(RobustDetector.Params p, List<NabFile> files) {
        return nab(p, files, Profile.STANDARD);
    }

    static Profile OBJECTIVE = Profile.valueOf(System.getProperty("objective", "STANDARD"));

    static double nab(RobustDetector.Params p, List<NabFile> files, Profile profile) {
        OfflineReplay replay = new OfflineReplay(50, () -> new RobustDetector(p));
        List<FileScoring> scoring = new ArrayList<>();
        List<boolean[]> decisions = new ArrayList<>();
        for (NabFile f : files) {
            scoring.add(f.scoring());
            decisions.add(replay.run(f).anomaly());
        }
        return NabScorer.score(scoring, decisions, profile).normalized();
    }

    /** A copy of {@code p} with one component set to {@code value} (rounded for int components). */
    public static RobustDetector.Params with(RobustDetector.Params p, String name, double value) {
        try {
            RecordComponent[] rc = RobustDetector.Params.class.getRecordComponents();
            Object[] args = new Object[rc.length];
            Class<?>[] types = new Class<?>[rc.length];
            for (int i = 0; i < rc.length; i++) {
                types[i] = rc[i].getType();
                Object v = rc[i].getAccessor().invoke(p);
                if (rc[i].getName().equals(name)) {
                    v = types[i] == int.class ? (Object) (int) Math.round(value) : (Object) value;
                }
                args[i] = v;
            }
            return RobustDetector.Params.class.getDeclaredConstructor(types).newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot set " + name, e);
        }
    }
}
