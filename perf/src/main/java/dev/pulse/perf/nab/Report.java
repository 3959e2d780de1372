package dev.pulse.perf.nab;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * One detector's NAB figures, as a Markdown report: for all files, the tuning split and the test split, and each
 * profile, the score of the service's own decisions and the score under the best single threshold on the anomaly
 * score, with windows detected and false alarms per 1,000 scored rows; then the decisions per category.
 */
final class Report {
    private Report() {
    }

    /** The figures of one split and profile. {@code sweep} is null when the scores are not all known. */
    record Row(String split, Profile profile, Tally decisions, NabScorer.Sweep sweep) {
    }

    static List<Row> rows(List<NabFile> files, List<Verdicts> verdicts) {
        List<Row> rows = new ArrayList<>();
        addSplit(rows, "all", files, verdicts, f -> true);
        addSplit(rows, "tuning", files, verdicts, NabCorpus::isTuning);
        addSplit(rows, "test", files, verdicts, f -> !NabCorpus.isTuning(f));
        return rows;
    }

    private static void addSplit(List<Row> rows, String split, List<NabFile> files, List<Verdicts> verdicts,
                                 Predicate<NabFile> in) {
        List<FileScoring> scoring = new ArrayList<>();
        List<boolean[]> decisions = new ArrayList<>();
        List<double[]> scores = new ArrayList<>();
        boolean known = true;
        for (int i = 0; i < files.size(); i++) {
            if (in.test(files.get(i))) {
                scoring.add(files.get(i).scoring());
                decisions.add(verdicts.get(i).anomaly());
                scores.add(verdicts.get(i).score());
                known &= verdicts.get(i).scoresKnown();
            }
        }
        for (Profile p : Profile.values()) {
            rows.add(new Row(split, p, NabScorer.score(scoring, decisions, p),
                    known ? NabScorer.bestThreshold(scoring, scores, p) : null));
        }
    }

    static String markdown(String title, List<NabFile> files, List<Verdicts> verdicts) {
        StringBuilder b = new StringBuilder();
        b.append("## ").append(title).append("\n\n");
        b.append("| split | profile | decisions: score | windows | FP/1k | best threshold | score | windows | FP/1k |\n");
        b.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Row r : rows(files, verdicts)) {
            Tally d = r.decisions();
            b.append("| ").append(r.split()).append(" | ").append(r.profile().nabName()).append(" | ")
                    .append(fmt(d.normalized())).append(" | ").append(d.windowsDetected()).append('/')
                    .append(d.windows()).append(" | ").append(fmt(d.falsePositivesPerThousand())).append(" | ");
            if (r.sweep() == null) {
                b.append("- | - | - | - |\n");
            } else {
                Tally s = r.sweep().tally();
                b.append(String.format(Locale.ROOT, "%.4f", r.sweep().threshold())).append(" | ")
                        .append(fmt(s.normalized())).append(" | ").append(s.windowsDetected()).append('/')
                        .append(s.windows()).append(" | ").append(fmt(s.falsePositivesPerThousand())).append(" |\n");
            }
        }
        b.append("\nThe decisions per category (standard profile; a category without windows has no normalised "
                + "score, only its false alarms):\n\n");
        b.append("| category | files | score | windows | FP/1k |\n| --- | ---: | ---: | ---: | ---: |\n");
        for (String cat : new TreeSet<>(files.stream().map(NabFile::category).toList())) {
            Tally t = Tally.empty(Profile.STANDARD);
            int n = 0;
            for (int i = 0; i < files.size(); i++) {
                if (files.get(i).category().equals(cat)) {
                    t = t.plus(NabScorer.score(files.get(i).scoring(), verdicts.get(i).anomaly(), Profile.STANDARD));
                    n++;
                }
            }
            b.append("| ").append(cat).append(" | ").append(n).append(" | ").append(fmt(t.normalized()))
                    .append(" | ").append(t.windowsDetected()).append('/').append(t.windows()).append(" | ")
                    .append(fmt(t.falsePositivesPerThousand())).append(" |\n");
        }
        return b.append('\n').toString();
    }

    static String fmt(double v) {
        return v != v ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }
}
