package dev.pulse.perf.stream;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;

/**
 * A family of labelled series: a baseline shape, a noise level and a density of anomalies; each seed draws one
 * series of the family, deterministically. Values are {@value #STEP_SECONDS} s apart from {@link #START_EPOCH}
 * (a Thursday, midnight UTC), around a level of {@value #LEVEL} with Gaussian noise of standard deviation sigma.
 *
 * <p>Baselines: flat; drifting (a triangle wave between -{@value #DRIFT_AMPLITUDE} and +{@value #DRIFT_AMPLITUDE} sigma,
 * {@value #DRIFT_SLOPE} sigma per value); daily (a sine of {@value #DAY_AMPLITUDE} of the level); weekly (the daily sine, halved on Saturdays
 * and Sundays with the level {@value #WEEKEND_DROP} of it lower, ramped over {@value #RAMP_HOURS} hours).
 *
 * <p>The first {@value #CLEAN_VALUES} values (two weeks) are clean; then anomalies follow at gaps drawn uniformly
 * from half to one and a half times the family's mean gap, each of one kind, drawn with the weights in
 * {@link Kind}:
 * <ul>
 *   <li>spike / dip: one value {@value #SPIKE_MIN}-{@value #SPIKE_MAX} sigma above / below the baseline;</li>
 *   <li>level shift: the baseline moves {@value #SHIFT_MIN}-{@value #SHIFT_MAX} sigma for good, back towards the
 *   first level when it has moved, so it stays bounded;</li>
 *   <li>variance burst: {@value #BURST_VALUES} values with the noise {@value #BURST_FACTOR} times larger.</li>
 * </ul>
 * The magnitudes and weights were fixed before any detector was run on the families.
 */
public record StreamFamily(Baseline baseline, double sigma, int meanGap, int cleanValues) {

    /** A family whose first {@value #CLEAN_VALUES} values are clean. */
    public StreamFamily(Baseline baseline, double sigma, int meanGap) {
        this(baseline, sigma, meanGap, CLEAN_VALUES);
    }

    public enum Baseline { FLAT, DRIFTING, DAILY, WEEKLY }

    /** Kinds of anomaly and their share of the anomalies. */
    public enum Kind {
        SPIKE(0.35), DIP(0.35), LEVEL_SHIFT(0.2), VARIANCE_BURST(0.1);

        final double weight;

        Kind(double weight) {
            this.weight = weight;
        }
    }

    /** One injected anomaly, starting at row {@code start}, {@code length} values long. */
    public record Event(Kind kind, int start, int length) {
        /** Whether the anomaly, and a shift's settling values after it, end within the first {@code rows} values. */
        boolean endsWithin(int rows) {
            return start + length + SHIFT_SETTLE < rows;
        }
    }

    /** One drawn series and its labels. */
    public record Series(StreamFamily family, long seed, double[] value, long[] epochSecond, List<Event> events) {
        /** The first {@code rows} values (all of them when there are fewer) and the anomalies that end in them. */
        public Series first(int rows) {
            if (rows >= value.length) {
                return this;
            }
            List<Event> kept = new ArrayList<>();
            for (Event e : events) {
                if (e.endsWithin(rows)) {
                    kept.add(e);
                }
            }
            return new Series(family, seed, Arrays.copyOf(value, rows), Arrays.copyOf(epochSecond, rows),
                    List.copyOf(kept));
        }
    }

    static final double LEVEL = 1000.0;
    static final double SPIKE_MIN = 6.0;
    static final double SPIKE_MAX = 10.0;
    static final double SHIFT_MIN = 8.0;
    static final double SHIFT_MAX = 12.0;
    static final int BURST_VALUES = 6;
    static final double BURST_FACTOR = 8.0;
    static final double DRIFT_AMPLITUDE = 30.0;
    static final double DRIFT_SLOPE = 0.01;
    static final double DAY_AMPLITUDE = 0.1;
    static final double WEEKEND_DROP = 0.05;
    static final double RAMP_HOURS = 3.0;
    public static final int STEP_SECONDS = 300;
    static final long START_EPOCH = 1_420_070_400L; // 2015-01-01T00:00:00Z, a Thursday
    /** Two weeks of clean values before the first anomaly; not scored. */
    public static final int CLEAN_VALUES = 2 * 7 * 86_400 / STEP_SECONDS;
    /** At least this many anomalies per series on average (long series for rare anomalies). */
    static final int MIN_EVENTS = 40;
    static final int MIN_ROWS = 20_000;

    /** Every family: each baseline at each noise level and density. */
    public static List<StreamFamily> all() {
        return all(CLEAN_VALUES);
    }

    /** Every family, with {@code cleanValues} clean values before the first anomaly. */
    public static List<StreamFamily> all(int cleanValues) {
        List<StreamFamily> out = new ArrayList<>();
        for (int gap : new int[] {50, 110, 1000, 5000}) {
            for (Baseline b : Baseline.values()) {
                for (double sigma : new double[] {1, 10, 50}) {
                    out.add(new StreamFamily(b, sigma, gap, cleanValues));
                }
            }
        }
        return out;
    }

    public String name() {
        return String.format(Locale.ROOT, "%s sigma=%s 1/%d", baseline.name().toLowerCase(Locale.ROOT),
                sigma == Math.rint(sigma) ? Long.toString((long) sigma) : Double.toString(sigma), meanGap);
    }

    public int rows() {
        return Math.max(MIN_ROWS, cleanValues + MIN_EVENTS * meanGap);
    }

    public Series draw(long seed) {
        return draw(seed, STEP_SECONDS);
    }

    /**
     * The series of {@code seed} with its values {@code stepSeconds} apart: the same noise and anomalies at the same
     * rows, the cycles and the drift as they are at that pace (a day is 86,400 / stepSeconds values).
     */
    public Series draw(long seed, int stepSeconds) {
        SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + meanGap * 31L + baseline.ordinal() * 7L
                + (long) (sigma * 1000));
        long[] ts = new long[rows()];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = START_EPOCH + (long) i * stepSeconds;
        }
        return draw(seed, rnd, ts, i -> base(i, stepSeconds));
    }

    /**
     * This family's noise and anomalies (anomalies from value {@code cleanValues} on) over another baseline:
     * {@code base} gives each row's value without them, {@code times} each row's time and the series' length.
     */
    Series draw(long seed, SplittableRandom rnd, long[] times, IntToDoubleFunction base) {
        int rows = times.length;
        List<Event> events = new ArrayList<>();
        for (int i = cleanValues + gap(rnd); ; i += gap(rnd)) {
            Kind k = kind(rnd.nextDouble());
            int len = k == Kind.VARIANCE_BURST ? BURST_VALUES : 1;
            Event e = new Event(k, i, len);
            if (!e.endsWithin(rows)) {
                break;
            }
            events.add(e);
        }
        double[] v = new double[rows];
        double shift = 0;
        int next = 0;
        for (int i = 0; i < rows; i++) {
            double noise = rnd.nextGaussian() * sigma;
            double extra = 0;
            if (next < events.size() && events.get(next).start() + events.get(next).length() <= i) {
                next++;
            }
            if (next < events.size() && events.get(next).start() <= i) {
                Event e = events.get(next);
                switch (e.kind()) {
                    case SPIKE -> extra = magnitude(rnd, SPIKE_MIN, SPIKE_MAX);
                    case DIP -> extra = -magnitude(rnd, SPIKE_MIN, SPIKE_MAX);
                    case LEVEL_SHIFT -> {
                        double sign = shift == 0 ? (rnd.nextBoolean() ? 1 : -1) : -Math.signum(shift);
                        shift += sign * magnitude(rnd, SHIFT_MIN, SHIFT_MAX);
                    }
                    case VARIANCE_BURST -> noise *= BURST_FACTOR;
                }
            }
            v[i] = base.applyAsDouble(i) + shift + noise + extra;
        }
        return new Series(this, seed, v, times, List.copyOf(events));
    }

    /** Values after a shift's start that count as part of it (neither required nor false positives). */
    public static final int SHIFT_SETTLE = 10;

    private int gap(SplittableRandom rnd) {
        return meanGap / 2 + rnd.nextInt(meanGap + 1);
    }

    private static Kind kind(double u) {
        double acc = 0;
        for (Kind k : Kind.values()) {
            acc += k.weight;
            if (u < acc) {
                return k;
            }
        }
        return Kind.VARIANCE_BURST;
    }

    private double magnitude(SplittableRandom rnd, double min, double max) {
        return (min + (max - min) * rnd.nextDouble()) * sigma;
    }

    private double base(int i, int stepSeconds) {
        double t = (double) i * stepSeconds;
        return switch (baseline) {
            case FLAT -> LEVEL;
            case DRIFTING -> LEVEL + sigma * triangle(i * DRIFT_SLOPE / (4 * DRIFT_AMPLITUDE)) * DRIFT_AMPLITUDE;
            case DAILY -> LEVEL * (1 + DAY_AMPLITUDE * daily(t));
            case WEEKLY -> {
                double w = weekend(t);
                yield LEVEL * (1 + DAY_AMPLITUDE * daily(t) * (1 - 0.5 * w) - WEEKEND_DROP * w);
            }
        };
    }

    private static double daily(double t) {
        return Math.sin(2 * Math.PI * t / 86_400.0);
    }

    /** A triangle wave in [-1, 1] of period 1 in {@code u}. */
    private static double triangle(double u) {
        double f = u - Math.floor(u);
        return f < 0.5 ? 4 * f - 1 : 3 - 4 * f;
    }

    /** 1 on Saturday and Sunday, 0 on weekdays, with raised-cosine ramps centred on the midnights. */
    private static double weekend(double t) {
        double hours = (t / 3600.0 + 3 * 24) % (7 * 24); // hours since Monday 00:00 (the start is a Thursday)
        double start = 5 * 24;
        double end = 7 * 24;
        double h = RAMP_HOURS / 2;
        if (hours < h) {
            return ramp((h - hours) / RAMP_HOURS); // Sunday night into Monday
        }
        if (hours < start - h) {
            return 0;
        }
        if (hours < start + h) {
            return ramp((hours - start + h) / RAMP_HOURS);
        }
        if (hours < end - h) {
            return 1;
        }
        return ramp((end + h - hours) / RAMP_HOURS);
    }

    private static double ramp(double f) {
        return 0.5 - 0.5 * Math.cos(Math.PI * Math.max(0, Math.min(1, f)));
    }
}
