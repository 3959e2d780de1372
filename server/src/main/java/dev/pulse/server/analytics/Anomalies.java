package dev.pulse.server.analytics;

import java.util.Arrays;

/**
 * The (event, metric) pairs one request flagged, in request order, kept in reusable primitive arrays.
 *
 * <p>Not thread-safe: owned by the {@link BatchApplier} that fills it.
 */
public final class Anomalies {
    // All fields: owned by the applier's thread.
    private int size;
    private int[] eventIndex = new int[16];
    private Series[] series = new Series[16];
    private double[] value = new double[16];
    private double[] mean = new double[16];
    private double[] stddev = new double[16];
    private double[] zscore = new double[16];
    private double[] score = new double[16];

    void clear() {
        Arrays.fill(series, 0, size, null);
        size = 0;
    }

    void add(int event, Series s, double x, double m, double sd, double z, double sc) {
        if (size == series.length) {
            int n = size * 2;
            eventIndex = Arrays.copyOf(eventIndex, n);
            series = Arrays.copyOf(series, n);
            value = Arrays.copyOf(value, n);
            mean = Arrays.copyOf(mean, n);
            stddev = Arrays.copyOf(stddev, n);
            zscore = Arrays.copyOf(zscore, n);
            score = Arrays.copyOf(score, n);
        }
        eventIndex[size] = event;
        series[size] = s;
        value[size] = x;
        mean[size] = m;
        stddev[size] = sd;
        zscore[size] = z;
        score[size] = sc;
        size++;
    }

    public int size() {
        return size;
    }

    public int eventIndex(int i) {
        return eventIndex[i];
    }

    public Series series(int i) {
        return series[i];
    }

    public double value(int i) {
        return value[i];
    }

    public double mean(int i) {
        return mean[i];
    }

    public double stddev(int i) {
        return stddev[i];
    }

    /** NaN when undefined (constant window, value off its mean). */
    public double zscore(int i) {
        return zscore[i];
    }

    public double score(int i) {
        return score[i];
    }
}
