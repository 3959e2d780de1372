package dev.pulse.perf.nab;

import java.util.Arrays;
import java.util.List;

/**
 * NAB's scoring of one detector's output: of its binary decisions as they are, and of its anomaly scores under the
 * single threshold that scores best over a set of files (what NAB's scoreboard reports). Written from NAB's
 * published description (Lavin and Ahmad 2015, NAB's documentation).
 */
public final class NabScorer {
    private NabScorer() {
    }

    /** Scores {@code detected} (one flag per row) on one file. */
    public static Tally score(FileScoring f, boolean[] detected, Profile p) {
        if (detected.length != f.rows()) {
            throw new IllegalArgumentException("rows=" + f.rows() + " detections=" + detected.length);
        }
        double[] best = new double[f.windows()];
        Arrays.fill(best, Double.NEGATIVE_INFINITY);
        double raw = 0;
        long fp = 0;
        for (int i = f.probation(); i < f.rows(); i++) {
            if (!detected[i]) {
                continue;
            }
            int w = f.windowOf(i);
            double v = f.weighted(i, p);
            if (w >= 0) {
                best[w] = Math.max(best[w], v);
            } else {
                raw += v;
                fp++;
            }
        }
        int found = 0;
        for (double b : best) {
            if (b == Double.NEGATIVE_INFINITY) {
                raw -= p.fnWeight();
            } else {
                raw += b;
                found++;
            }
        }
        return new Tally(p, raw, f.windows(), found, fp, f.rows() - f.probation());
    }

    /** Scores each file's decisions and adds them up. */
    public static Tally score(List<FileScoring> files, List<boolean[]> detected, Profile p) {
        Tally t = Tally.empty(p);
        for (int k = 0; k < files.size(); k++) {
            t = t.plus(score(files.get(k), detected.get(k), p));
        }
        return t;
    }

    /** The best single threshold over a set of files and its tally: a row is a detection when its score >= it. */
    public record Sweep(double threshold, Tally tally) {
    }

    /**
     * Finds the threshold on the anomaly scores that maximises the raw score summed over {@code files}, trying
     * every distinct score (and one above them all, which detects nothing).
     */
    public static Sweep bestThreshold(List<FileScoring> files, List<double[]> scores, Profile p) {
        int n = 0;
        int windows = 0;
        long scoredRows = 0;
        for (FileScoring f : files) {
            n += f.rows() - f.probation();
            windows += f.windows();
            scoredRows += f.rows() - f.probation();
        }
        double[] score = new double[n];
        double[] value = new double[n];
        int[] window = new int[n];   // global window id, or -1 for a false positive
        int k = 0;
        int windowBase = 0;
        for (int fi = 0; fi < files.size(); fi++) {
            FileScoring f = files.get(fi);
            double[] s = scores.get(fi);
            if (s.length != f.rows()) {
                throw new IllegalArgumentException("file=" + f.name() + " rows=" + f.rows() + " scores=" + s.length);
            }
            for (int i = f.probation(); i < f.rows(); i++) {
                score[k] = s[i];
                value[k] = f.weighted(i, p);
                int w = f.windowOf(i);
                window[k] = w >= 0 ? windowBase + w : -1;
                k++;
            }
            windowBase += f.windows();
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));

        double[] best = new double[windows];
        Arrays.fill(best, Double.NEGATIVE_INFINITY);
        double raw = -p.fnWeight() * windows;   // nothing detected yet
        int found = 0;
        long fp = 0;
        double bestRaw = raw;
        double bestThreshold = Double.POSITIVE_INFINITY;
        int bestFound = 0;
        long bestFp = 0;
        for (int j = 0; j < n; ) {
            double t = score[order[j]];
            for (; j < n && score[order[j]] == t; j++) {
                int r = order[j];
                int w = window[r];
                if (w < 0) {
                    raw += value[r];
                    fp++;
                } else if (best[w] == Double.NEGATIVE_INFINITY) {
                    best[w] = value[r];
                    raw += p.fnWeight() + value[r];
                    found++;
                } else if (value[r] > best[w]) {
                    raw += value[r] - best[w];
                    best[w] = value[r];
                }
            }
            if (raw > bestRaw) {
                bestRaw = raw;
                bestThreshold = t;
                bestFound = found;
                bestFp = fp;
            }
        }
        return new Sweep(bestThreshold, new Tally(p, bestRaw, windows, bestFound, bestFp, scoredRows));
    }

    /** Detections of {@code scores} under a threshold, as {@link #bestThreshold} counts them. */
    public static boolean[] detections(double[] scores, double threshold) {
        boolean[] d = new boolean[scores.length];
        for (int i = 0; i < scores.length; i++) {
            d[i] = scores[i] >= threshold;
        }
        return d;
    }
}
