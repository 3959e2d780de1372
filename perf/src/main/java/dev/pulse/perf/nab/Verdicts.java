package dev.pulse.perf.nab;

import java.util.Arrays;

/**
 * A detector's output on one file: each row's anomaly score and decision.
 *
 * @param score   each row's score in [0, 1]; NaN where the replay could not learn it
 * @param anomaly each row's decision
 */
public record Verdicts(double[] score, boolean[] anomaly) {

    public static Verdicts of(int rows) {
        double[] s = new double[rows];
        Arrays.fill(s, Double.NaN);
        return new Verdicts(s, new boolean[rows]);
    }

    public int rows() {
        return anomaly.length;
    }

    public int anomalies() {
        int n = 0;
        for (boolean a : anomaly) {
            n += a ? 1 : 0;
        }
        return n;
    }

    /** True when every row's score is known. */
    public boolean scoresKnown() {
        for (double s : score) {
            if (s != s) {
                return false;
            }
        }
        return true;
    }

    /** A digest of the decisions and the scores' exact bits, to compare two replays of one file. */
    public long digest() {
        long h = 1125899906842597L;
        for (int i = 0; i < anomaly.length; i++) {
            h = 31 * h + (anomaly[i] ? 1 : 0);
            h = 31 * h + Double.doubleToLongBits(score[i]);
        }
        return h;
    }
}
