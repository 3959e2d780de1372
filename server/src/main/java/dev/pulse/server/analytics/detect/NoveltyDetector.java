package dev.pulse.server.analytics.detect;

import dev.pulse.server.analytics.Detector;

/**
 * {@code DETECTOR=novelty}: another detector ({@link PerValueDetector} in the server) plus a pattern-novelty rule.
 * {@link ShapeNovelty} tells, per value, whether the shape of the last few values was ever drawn by the series; a
 * run of {@link Params#run} new shapes in a row is an anomaly, on a series whose shapes otherwise repeat: the rule
 * speaks only while the recent share of new shapes (an average over about 1 / {@link Params#rateAlpha} values, this
 * run included) stays under {@link Params#rateLimit}, which with the defaults means a run of three after several
 * hundred values without any. On noise, where nearly every shape is new, it stays silent. It speaks only after
 * {@link Params#warmUp} values and not within {@link Params#quietValues} of the last alarm (of either rule).
 *
 * <p>A value is an anomaly when the inner detector or the rule says so; the score is the inner detector's, or 1 when
 * the rule fires, so the decision is still the score above 0.5. The parameters were chosen on the NAB tuning split
 * (EVALUATION.md).
 *
 * <p>Costs the inner detector's work plus one quantisation, one hash and one bit test per value, no allocation;
 * holds the inner detector's state plus about 660 bytes (two generations of 2,048 bits and a few scalars). Not
 * thread-safe: guarded by the series' lock.
 */
public final class NoveltyDetector implements Detector {

    /**
     * @param run          new shapes in a row that make an anomaly
     * @param rateLimit    the most recent share of new shapes the rule speaks at
     * @param rateAlpha    weight of a new value in that share
     * @param warmUp       values seen before the rule speaks
     * @param quietValues  values after any alarm in which the rule is silent
     * @param shapes       the shape memory's parameters
     */
    public record Params(int run, double rateLimit, double rateAlpha, int warmUp, int quietValues,
                         ShapeNovelty.Params shapes) {
        public static final Params DEFAULTS = new Params(3, 0.02, 0.01, 600, 30, ShapeNovelty.Params.DEFAULTS);

        public Params {
            if (run < 1 || !(rateLimit > 0) || !(rateAlpha > 0 && rateAlpha <= 1) || warmUp < 0 || quietValues < 0) {
                throw new IllegalArgumentException("run=" + run + " rateLimit=" + rateLimit + " rateAlpha="
                        + rateAlpha + " warmUp=" + warmUp + " quietValues=" + quietValues);
            }
        }
    }

    private final Detector inner;
    private final Params p;       // shared by every series of a factory
    private final ShapeNovelty shapes;
    // All fields below: guarded by the series' lock.
    private long count;           // values observed
    private long lastAlarm = Long.MIN_VALUE / 2; // index of the last alarm, of either rule
    private double newRate = 1.0; // recent share of new shapes; starts high so the rule first waits for repeats
    private int freshRun;         // new shapes in a row, up to this value
    private boolean lastAnomaly;  // decision on the last value

    public NoveltyDetector(Detector inner, Params p) {
        this.inner = inner;
        this.p = p;
        this.shapes = new ShapeNovelty(p.shapes());
    }

    @Override
    public double observe(double x, double epochSeconds, double zscore, int windowCount) {
        double score = inner.observe(x, epochSeconds, zscore, windowCount);
        boolean alarm = inner.lastAnomaly();
        boolean fresh = shapes.observe(x);
        long n = count++;
        freshRun = fresh ? freshRun + 1 : 0;
        // The rate first: it seldom changes side, where a run of new shapes on noise is a coin toss for a branch.
        if (newRate < p.rateLimit() && freshRun >= p.run() && n >= p.warmUp() && n - lastAlarm > p.quietValues()) {
            score = 1.0;
            alarm = true;
        }
        newRate = WeightedAverage.step(newRate, fresh ? 1.0 : 0.0, p.rateAlpha());
        if (alarm) {
            lastAlarm = n;
        }
        lastAnomaly = alarm;
        return score;
    }

    @Override
    public boolean lastAnomaly() {
        return lastAnomaly;
    }

    /** The inner detector's word: the shapes' bands then come from the same values long over. */
    @Override
    public boolean outgrown() {
        return inner.outgrown();
    }
}
