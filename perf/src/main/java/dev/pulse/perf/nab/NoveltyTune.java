package dev.pulse.perf.nab;

import dev.pulse.server.analytics.Detector;
import dev.pulse.server.analytics.detect.NoveltyDetector;
import dev.pulse.server.analytics.detect.PerValueDetector;
import dev.pulse.server.analytics.detect.RobustDetector;
import dev.pulse.server.analytics.detect.ShapeNovelty;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Scores {@link NoveltyDetector} variants on the NAB <b>tuning split only</b>: every combination of the values
 * given ({@code name=v1,v2,...}, names of {@link NoveltyDetector.Params} and {@link ShapeNovelty.Params},
 * {@code robust.name} for a component of the inner {@link RobustDetector.Params}, and
 * {@code inner=robust|pervalue|none}, none being the robust detector alone), one line each with the three profiles. {@code --final} scores the combination
 * given (single values) on every split, the test split included: run it once, after the choice is made.
 *
 * <pre>NoveltyTune [--final] run=2,3 levels=8,12 length=4,6 inner=robust,pervalue ...</pre>
 */
public final class NoveltyTune {
    private NoveltyTune() {
    }

    public static void main(String[] args) throws Exception {
        boolean fin = false;
        Map<String, String[]> grid = new LinkedHashMap<>();
        for (String a : args) {
            if (a.equals("--final")) {
                fin = true;
                continue;
            }
            String[] kv = a.split("=", 2);
            grid.put(kv[0], kv[1].split(","));
        }
        List<NabFile> all = NabCorpus.load(NabCorpus.directory());
        List<NabFile> tuning = new ArrayList<>();
        List<NabFile> test = new ArrayList<>();
        for (NabFile f : all) {
            (NabCorpus.isTuning(f) ? tuning : test).add(f);
        }
        List<Map<String, String>> combos = new ArrayList<>();
        combos.add(new LinkedHashMap<>());
        for (Map.Entry<String, String[]> e : grid.entrySet()) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> c : combos) {
                for (String v : e.getValue()) {
                    Map<String, String> m = new LinkedHashMap<>(c);
                    m.put(e.getKey(), v);
                    next.add(m);
                }
            }
            combos = next;
        }
        for (Map<String, String> c : combos) {
            Supplier<Detector> d = factory(c);
            StringBuilder line = new StringBuilder(c.toString()).append(": tuning ").append(line(d, tuning));
            if (fin) {
                line.append(" | all ").append(line(d, all)).append(" | test ").append(line(d, test));
            }
            System.out.println(line);
        }
    }

    static String line(Supplier<Detector> d, List<NabFile> files) {
        OfflineReplay replay = new OfflineReplay(50, d);
        List<FileScoring> scoring = new ArrayList<>();
        List<boolean[]> decisions = new ArrayList<>();
        for (NabFile f : files) {
            scoring.add(f.scoring());
            decisions.add(replay.run(f).anomaly());
        }
        Tally s = NabScorer.score(scoring, decisions, Profile.STANDARD);
        Tally lf = NabScorer.score(scoring, decisions, Profile.REWARD_LOW_FP_RATE);
        Tally fn = NabScorer.score(scoring, decisions, Profile.REWARD_LOW_FN_RATE);
        return String.format(Locale.ROOT, "std %.2f lowFP %.2f lowFN %.2f win %d/%d fp/1k %.2f", s.normalized(),
                lf.normalized(), fn.normalized(), s.windowsDetected(), s.windows(), s.falsePositivesPerThousand());
    }

    static Supplier<Detector> factory(Map<String, String> c) {
        NoveltyDetector.Params d = NoveltyDetector.Params.DEFAULTS;
        ShapeNovelty.Params s = d.shapes();
        s = new ShapeNovelty.Params(i(c, "levels", s.levels()), i(c, "length", s.length()),
                i(c, "memoryBits", s.memoryBits()), i(c, "generationValues", s.generationValues()),
                v(c, "rangeHalfLife", s.rangeHalfLife()));
        NoveltyDetector.Params p = new NoveltyDetector.Params(i(c, "run", d.run()), v(c, "rateLimit", d.rateLimit()),
                v(c, "rateAlpha", d.rateAlpha()), i(c, "warmUp", d.warmUp()), i(c, "quietValues", d.quietValues()), s);
        RobustDetector.Params robust = RobustDetector.Params.DEFAULTS.withWindow(50, 10);
        for (Map.Entry<String, String> e : c.entrySet()) {
            if (e.getKey().startsWith("robust.")) {
                robust = NabTune.with(robust, e.getKey().substring("robust.".length()), Double.parseDouble(e.getValue()));
            }
        }
        RobustDetector.Params rp = robust;
        String inner = c.getOrDefault("inner", "pervalue");
        if (inner.equals("none")) {
            return () -> new RobustDetector(rp);
        }
        return inner.equals("pervalue")
                ? () -> new NoveltyDetector(new PerValueDetector(rp), p)
                : () -> new NoveltyDetector(new RobustDetector(rp), p);
    }

    private static double v(Map<String, String> c, String name, double dflt) {
        return c.containsKey(name) ? Double.parseDouble(c.get(name)) : dflt;
    }

    private static int i(Map<String, String> c, String name, int dflt) {
        return c.containsKey(name) ? (int) Math.round(Double.parseDouble(c.get(name))) : dflt;
    }
}
