package dev.pulse.perf.nab;

import java.util.Arrays;

/**
 * One file's rows as NAB's scoring sees them: which rows are scored, which anomaly window each row lies in, and
 * the unweighted reward (scaled sigmoid) of a detection on that row.
 *
 * <p>Following NAB's description: the first 15% of the rows (at most 750) are a probationary period and are not
 * scored; a detection inside a window is rewarded by its position, earlier being better, and only the best
 * detection of a window counts; a window without detection costs the profile's false-negative weight; every
 * detection outside the windows is a false positive, which costs less right after a window than far from it, and
 * costs fully before the first window.
 */
public final class FileScoring {
    /** Share of a file's rows in the probationary period, and the most rows it spans. */
    static final double PROBATION_SHARE = 0.15;
    static final int PROBATION_MAX_ROWS = 750;

    private final String name;
    private final int rows;
    private final int probation;
    private final int[] window;
    private final double[] reward;
    private final int windows;

    /**
     * @param name       the file's name, e.g. {@code realTweets/Twitter_volume_AAPL.csv}
     * @param rows       rows in the file
     * @param windowRows each anomaly window as {@code {firstRow, lastRow}} (inclusive, in file order)
     */
    public FileScoring(String name, int rows, int[][] windowRows) {
        this.name = name;
        this.rows = rows;
        this.probation = probationRows(rows);
        this.window = new int[rows];
        this.reward = new double[rows];
        Arrays.fill(window, -1);
        int scoredWindows = 0;
        int next = 0;            // index of the next window not yet entered
        int prevRight = -1;      // last row of the previous window, -1 before the first
        int prevWidth = 0;
        for (int i = 0; i < rows; ) {
            if (next < windowRows.length && i == windowRows[next][0]) {
                int left = windowRows[next][0];
                int right = windowRows[next][1];
                if (right < left || right >= rows) {
                    throw new IllegalArgumentException("window out of order: file=" + name + " left=" + left
                            + " right=" + right + " rows=" + rows);
                }
                int width = right - left + 1;
                boolean scored = right >= probation;
                for (int j = left; j <= right; j++) {
                    window[j] = scored ? scoredWindows : -1;
                    reward[j] = ScaledSigmoid.of(-(double) (right - j + 1) / width);
                }
                if (scored) {
                    scoredWindows++;
                }
                prevRight = right;
                prevWidth = width;
                next++;
                i = right + 1;
                continue;
            }
            if (prevRight < 0) {
                reward[i] = -1.0;
            } else {
                // NAB divides by (width - 1); a one-row window would divide by zero, so it counts as width 2.
                reward[i] = ScaledSigmoid.of((double) (i - prevRight) / Math.max(1, prevWidth - 1));
            }
            i++;
        }
        if (next != windowRows.length) {
            throw new IllegalArgumentException("windows overlap or are out of order: file=" + name);
        }
        this.windows = scoredWindows;
    }

    /** NAB's probationary period: 15% of the rows, at most 750. */
    static int probationRows(int rows) {
        return Math.min((int) Math.floor(PROBATION_SHARE * rows), PROBATION_MAX_ROWS);
    }

    public String name() {
        return name;
    }

    public int rows() {
        return rows;
    }

    /** Rows before this index are not scored. */
    public int probation() {
        return probation;
    }

    /** Windows with at least one scored row: the ones a detector can find or miss. */
    public int windows() {
        return windows;
    }

    /** The scored window row {@code i} lies in (0-based), or -1 outside any window. */
    int windowOf(int i) {
        return window[i];
    }

    /** The profile-weighted value of a detection on row {@code i}: positive in a window, negative outside. */
    double weighted(int i, Profile p) {
        return window[i] >= 0 ? reward[i] * p.tpWeight() / ScaledSigmoid.MAX_TP : reward[i] * p.fpWeight();
    }
}
