package dev.pulse.perf.cpu;

import java.util.Arrays;

/**
 * Rounds of several builds' work taken in turn, so every build sees the same load on a shared machine, and their
 * summary: each build's median and least, and the median (and quartiles) of its per-round ratio to the first build.
 */
public final class AlternatingRounds {
    /** One round of build {@code build}'s work; returns its figure (CPU time per event or per request). */
    public interface Round {
        double run(int build) throws ReflectiveOperationException;
    }

    private AlternatingRounds() {
    }

    /** {@code rounds} rounds of each of {@code builds} builds, each build going first in turn: [build][round]. */
    public static double[][] run(int builds, int rounds, Round round) throws ReflectiveOperationException {
        double[][] figures = new double[builds][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < builds; k++) {
                int j = (k + r) % builds;
                figures[j][r] = round.run(j);
            }
        }
        return figures;
    }

    /** One line: {@code label}, then per build {@code [j] median .. least ..} and, past the first, the ratio to it. */
    public static String summary(String label, double[][] figures) {
        StringBuilder line = new StringBuilder(String.format("%-13s", label));
        int rounds = figures[0].length;
        for (int j = 0; j < figures.length; j++) {
            double[] sorted = figures[j].clone();
            Arrays.sort(sorted);
            line.append(String.format("  [%d] median %6.2f least %6.2f", j, sorted[rounds / 2], sorted[0]));
            if (j > 0) {
                double[] ratio = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    ratio[r] = figures[j][r] / figures[0][r];
                }
                Arrays.sort(ratio);
                line.append(String.format(" ratio to [0] %.2f (%.2f-%.2f)", ratio[rounds / 2], ratio[rounds / 4],
                        ratio[3 * rounds / 4]));
            }
        }
        return line.toString();
    }
}
