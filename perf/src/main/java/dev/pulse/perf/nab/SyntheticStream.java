package dev.pulse.perf.nab;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A labelled synthetic series: a baseline (noisy, drifting or seasonal) with anomalies of four kinds injected at
 * random gaps. Deterministic for a seed. Magnitudes are in units of the baseline's noise (sigma):
 * <ul>
 *   <li>spike / dip: one value {@value #SPIKE_MIN}-{@value #SPIKE_MAX} sigma above / below the baseline;</li>
 *   <li>level shift: the baseline moves by {@value #SHIFT_MIN}-{@value #SHIFT_MAX} sigma, up or down, for good;</li>
 *   <li>variance burst: the noise grows {@value #BURST_FACTOR}-fold for {@value #BURST_MIN}-{@value #BURST_MAX}
 *   values.</li>
 * </ul>
 * Values are 5 minutes apart; the seasonal baseline is a daily sine of amplitude {@value #SEASON_AMPLITUDE} sigma.
 */
public final class SyntheticStream {
    public enum Baseline { NOISY, DRIFTING, SEASONAL }

    public enum Kind { SPIKE, DIP, LEVEL_SHIFT, VARIANCE_BURST }

    /** One injected anomaly: rows {@code start..end} inclusive. */
    public record Event(Kind kind, int start, int end) {
    }

    static final double SIGMA = 2.0;
    static final double LEVEL = 100.0;
    static final double SPIKE_MIN = 6.0;
    static final double SPIKE_MAX = 10.0;
    static final double SHIFT_MIN = 5.0;
    static final double SHIFT_MAX = 8.0;
    static final double BURST_FACTOR = 5.0;
    static final int BURST_MIN = 30;
    static final int BURST_MAX = 60;
    static final double SEASON_AMPLITUDE = 10.0;
    /** Drift per value, in sigma: 40 sigma over 20,000 values. */
    static final double DRIFT = 0.002;
    static final int STEP_SECONDS = 300;
    static final long START_EPOCH = 1_420_070_400L; // 2015-01-01T00:00:00Z
    /** Values before the first anomaly, for the detector to learn the baseline. */
    static final int WARM_UP = 2000;
    static final int GAP_MIN = 400;
    static final int GAP_MAX = 800;

    private final double[] value;
    private final long[] epochSecond;
    private final List<Event> events;

    private SyntheticStream(double[] value, long[] epochSecond, List<Event> events) {
        this.value = value;
        this.epochSecond = epochSecond;
        this.events = events;
    }

    public static SyntheticStream generate(Baseline baseline, int rows, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        // Schedule the anomalies first.
        List<Event> events = new ArrayList<>();
        Kind[] kinds = Kind.values();
        for (int i = WARM_UP; ; ) {
            Kind k = kinds[rnd.nextInt(kinds.length)];
            int len = k == Kind.VARIANCE_BURST ? rnd.nextInt(BURST_MIN, BURST_MAX + 1) : 1;
            if (i + len >= rows) {
                break;
            }
            events.add(new Event(k, i, i + len - 1));
            i += len + rnd.nextInt(GAP_MIN, GAP_MAX + 1);
        }
        double[] v = new double[rows];
        long[] ts = new long[rows];
        double shift = 0;
        int next = 0;
        for (int i = 0; i < rows; i++) {
            ts[i] = START_EPOCH + (long) i * STEP_SECONDS;
            double noise = rnd.nextGaussian() * SIGMA;
            double extra = 0;
            while (next < events.size() && events.get(next).end() < i) {
                next++;
            }
            if (next < events.size() && events.get(next).start() <= i) {
                Event e = events.get(next);
                switch (e.kind()) {
                    case SPIKE -> extra = magnitude(rnd, SPIKE_MIN, SPIKE_MAX);
                    case DIP -> extra = -magnitude(rnd, SPIKE_MIN, SPIKE_MAX);
                    case LEVEL_SHIFT -> shift += (rnd.nextBoolean() ? 1 : -1) * magnitude(rnd, SHIFT_MIN, SHIFT_MAX);
                    case VARIANCE_BURST -> noise *= BURST_FACTOR;
                }
            }
            v[i] = base(baseline, i) + shift + noise + extra;
        }
        return new SyntheticStream(v, ts, List.copyOf(events));
    }

    private static double magnitude(SplittableRandom rnd, double min, double max) {
        return (min + (max - min) * rnd.nextDouble()) * SIGMA;
    }

    private static double base(Baseline b, int i) {
        return switch (b) {
            case NOISY -> LEVEL;
            case DRIFTING -> LEVEL + DRIFT * SIGMA * i;
            case SEASONAL -> LEVEL + SEASON_AMPLITUDE * SIGMA * Math.sin(2 * Math.PI * i * STEP_SECONDS / 86_400.0);
        };
    }

    public double[] value() {
        return value;
    }

    public long[] epochSecond() {
        return epochSecond;
    }

    public List<Event> events() {
        return events;
    }
}
