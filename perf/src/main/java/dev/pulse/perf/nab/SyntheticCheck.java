package dev.pulse.perf.nab;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Recall per anomaly kind and false-positive rate of a detector on {@link SyntheticStream}s: every baseline, several
 * seeds. An event counts as found when a value in it, or in the {@value #GRACE} values after it, is flagged; every
 * other flagged value after the first {@value #LEARNING} values is a false positive.
 *
 * <pre>SyntheticCheck [--detectors zscore,robust] [--seeds 5] [--rows 20000]</pre>
 */
public final class SyntheticCheck {
    public static final int GRACE = 10;
    public static final int LEARNING = 1000;

    /** Found and total events per kind, false positives among the normal values, for one detector. */
    public static final class Result {
        // All fields: owned by the thread running the check.
        final Map<SyntheticStream.Kind, int[]> byKind = new EnumMap<>(SyntheticStream.Kind.class); // {found, total}
        long falsePositives;   // flagged values outside every event
        long normalRows;       // values outside every event, after the learning period

        public double recall(SyntheticStream.Kind k) {
            int[] c = byKind.get(k);
            return c == null || c[1] == 0 ? Double.NaN : (double) c[0] / c[1];
        }

        public double recall() {
            int found = 0;
            int total = 0;
            for (int[] c : byKind.values()) {
                found += c[0];
                total += c[1];
            }
            return total == 0 ? Double.NaN : (double) found / total;
        }

        public int events(SyntheticStream.Kind k) {
            int[] c = byKind.get(k);
            return c == null ? 0 : c[1];
        }

        public double falsePositiveRate() {
            return normalRows == 0 ? 0.0 : (double) falsePositives / normalRows;
        }

        public void add(SyntheticStream s, boolean[] flagged) {
            boolean[] inEvent = new boolean[flagged.length];
            for (SyntheticStream.Event e : s.events()) {
                int last = Math.min(flagged.length - 1, e.end() + GRACE);
                boolean found = false;
                for (int i = e.start(); i <= last; i++) {
                    found |= flagged[i];
                    inEvent[i] = true;
                }
                int[] c = byKind.computeIfAbsent(e.kind(), k -> new int[2]);
                c[0] += found ? 1 : 0;
                c[1]++;
            }
            for (int i = LEARNING; i < flagged.length; i++) {
                if (!inEvent[i]) {
                    normalRows++;
                    falsePositives += flagged[i] ? 1 : 0;
                }
            }
        }
    }

    private SyntheticCheck() {
    }

    /** Runs the detector the server would build from {@code env} over every baseline and seed. */
    public static Map<SyntheticStream.Baseline, Result> run(Map<String, String> env, int seeds, int rows) {
        return run(OfflineReplay.fromEnvironment(env), seeds, rows);
    }

    public static Map<SyntheticStream.Baseline, Result> run(OfflineReplay replay, int seeds, int rows) {
        Map<SyntheticStream.Baseline, Result> out = new EnumMap<>(SyntheticStream.Baseline.class);
        for (SyntheticStream.Baseline b : SyntheticStream.Baseline.values()) {
            Result r = new Result();
            for (int seed = 1; seed <= seeds; seed++) {
                SyntheticStream s = SyntheticStream.generate(b, rows, seed * 7919L + b.ordinal());
                NabFile f = new NabFile("synthetic/" + b + "-" + seed, s.epochSecond(), s.value(), new int[0][]);
                r.add(s, replay.run(f).anomaly());
            }
            out.put(b, r);
        }
        return out;
    }

    public static String markdown(String detector, Map<SyntheticStream.Baseline, Result> results) {
        StringBuilder b = new StringBuilder("| detector | baseline |");
        for (SyntheticStream.Kind k : SyntheticStream.Kind.values()) {
            b.append(' ').append(k.name().toLowerCase(Locale.ROOT).replace('_', ' ')).append(" |");
        }
        b.append(" all kinds | false-positive rate |\n| --- | --- |");
        b.append(" ---: |".repeat(SyntheticStream.Kind.values().length + 2)).append('\n');
        for (Map.Entry<SyntheticStream.Baseline, Result> e : results.entrySet()) {
            Result r = e.getValue();
            b.append("| ").append(detector).append(" | ").append(e.getKey().name().toLowerCase(Locale.ROOT))
                    .append(" |");
            for (SyntheticStream.Kind k : SyntheticStream.Kind.values()) {
                b.append(String.format(Locale.ROOT, " %.3f (%d) |", r.recall(k), r.events(k)));
            }
            b.append(String.format(Locale.ROOT, " %.3f | %.4f%% |%n", r.recall(), 100 * r.falsePositiveRate()));
        }
        return b.toString();
    }

    public static void main(String[] args) {
        Map<String, String> opt = Flags.of(args);
        int seeds = Integer.parseInt(opt.getOrDefault("seeds", "5"));
        int rows = Integer.parseInt(opt.getOrDefault("rows", "20000"));
        for (String d : List.of(opt.getOrDefault("detectors", "zscore,robust").split(","))) {
            Map<String, String> env = new HashMap<>(System.getenv());
            env.put("DETECTOR", d);
            System.out.print(markdown(d, run(env, seeds, rows)));
        }
    }
}
