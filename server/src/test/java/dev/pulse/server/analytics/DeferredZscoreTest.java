package dev.pulse.server.analytics;

import dev.pulse.server.analytics.detect.ZScoreDetector;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A series judged by the z-score rule skips the z-score's divisions and square root for a value surely under the
 * threshold, and computes them when read: everything it reports must be what the full computation gives, bit for
 * bit. The reference is the same rule behind a detector that is not the {@link ZScoreDetector} class, which the
 * series judges the full way.
 */
class DeferredZscoreTest {

    @Test
    void reportsWhatTheFullComputationReports() {
        Random r = new Random(21);
        int deferred = 0;
        int flagged = 0;
        for (int stream = 0; stream < 300; stream++) {
            double threshold = new double[]{3.0, 2.0, 0.5, 1e-3, 0.0, 40.0}[stream % 6];
            int minSamples = 1 + r.nextInt(20);
            int window = minSamples + r.nextInt(60);
            Source source = new Source("s", 0);
            Series fast = new Series(source, "m", spec(window, () -> new ZScoreDetector(threshold, minSamples)));
            Series full = new Series(source, "m", spec(window, () -> {
                ZScoreDetector inner = new ZScoreDetector(threshold, minSamples);
                return new Detector() {
                    @Override
                    public double observe(double x, double epochSeconds, double zscore, int windowCount) {
                        return inner.observe(x, epochSeconds, zscore, windowCount);
                    }

                    @Override
                    public boolean lastAnomaly() {
                        return inner.lastAnomaly();
                    }
                };
            }));
            DoubleSupplier values = values(r, stream % 7);
            for (int i = 0; i < 400; i++) {
                double x = values.getAsDouble();
                boolean a = fast.observe(x, i);
                assertEquals(full.observe(x, i), a, "stream " + stream + " value " + i);
                deferred += fast.lastZscore() == full.lastZscore() && !a ? 1 : 0;
                flagged += a ? 1 : 0;
                String at = "stream " + stream + " value " + i + " x " + x;
                assertEquals(bits(full.lastZscore()), bits(fast.lastZscore()), at);
                assertEquals(bits(full.lastScore()), bits(fast.lastScore()), at);
                assertEquals(bits(full.meanBefore()), bits(fast.meanBefore()), at);
                assertEquals(bits(full.stddevBefore()), bits(fast.stddevBefore()), at);
                assertEquals(full.anomaliesTotal(), fast.anomaliesTotal(), at);
                assertEquals(full.lastAnomaly(), fast.lastAnomaly(), at);
            }
        }
        assertTrue(deferred > 50_000 && flagged > 1_000, deferred + " quiet, " + flagged + " flagged");
    }

    @Test
    void decidesValuesAtTheThresholdAsTheFullComputation() {
        // values a few ulps either side of mean ± threshold * stddev, where a margin too thin would decide wrong
        Random r = new Random(22);
        int over = 0;
        for (int k = 0; k < 2_000; k++) {
            double threshold = 1 + r.nextInt(4);
            Series fast = new Series(new Source("s", 0), "m", spec(20, () -> new ZScoreDetector(threshold, 5)));
            Series full = new Series(new Source("s", 0), "m", spec(20, () -> {
                ZScoreDetector inner = new ZScoreDetector(threshold, 5);
                return new Detector() {
                    @Override
                    public double observe(double x, double epochSeconds, double zscore, int windowCount) {
                        return inner.observe(x, epochSeconds, zscore, windowCount);
                    }

                    @Override
                    public boolean lastAnomaly() {
                        return inner.lastAnomaly();
                    }
                };
            }));
            for (int i = 0; i < 20; i++) {
                double x = r.nextGaussian() * 10;
                fast.observe(x, i);
                full.observe(x, i);
            }
            double edge = full.rollingAverage() + (r.nextBoolean() ? 1 : -1) * threshold * full.stddev();
            for (int ulps = 0; ulps < r.nextInt(6); ulps++) {
                edge = r.nextBoolean() ? Math.nextUp(edge) : Math.nextDown(edge);
            }
            boolean flagged = full.observe(edge, 20);
            assertEquals(flagged, fast.observe(edge, 20), "value " + edge);
            assertEquals(bits(full.lastZscore()), bits(fast.lastZscore()), "value " + edge);
            over += flagged ? 1 : 0;
        }
        assertTrue(over > 200 && over < 1_800, "values either side of the threshold: " + over + " over");
    }

    private static SeriesSpec spec(int window, java.util.function.Supplier<Detector> detectors) {
        return new SeriesSpec(null, "zscore", window, Double.NaN, 0, detectors);
    }

    private static long bits(double d) {
        return Double.doubleToRawLongBits(d);
    }

    /** Gaussian noise with spikes, runs of one value, huge values with a tiny spread, tiny values. */
    private static DoubleSupplier values(Random r, int kind) {
        return switch (kind) {
            case 0 -> () -> 40 + r.nextGaussian() * 5 + (r.nextInt(50) == 0 ? 60 : 0);
            case 1 -> () -> Math.round((100 + r.nextGaussian() * 10) * 10) / 10.0;
            case 2 -> () -> r.nextInt(4) == 0 ? 7.0 : r.nextInt(3);
            case 3 -> () -> 1e9 + r.nextInt(3);
            case 4 -> () -> r.nextGaussian() * 1e-160;
            case 5 -> () -> r.nextInt(30) == 0 ? 1e300 * r.nextGaussian() : r.nextGaussian();
            default -> () -> r.nextInt(20) == 0 ? r.nextGaussian() : 5.0;
        };
    }
}
