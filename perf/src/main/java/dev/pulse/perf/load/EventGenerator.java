package dev.pulse.perf.load;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Random;

/**
 * Events of the contract's shape from a seeded generator, with an optional share of injected spikes. Values have one
 * decimal and timestamps are whole seconds, or both are full-precision doubles (up to 17 digits, no exponent), as
 * Python's {@code repr} and {@code time.time()} write them.
 */
public final class EventGenerator {
    private final Random random;
    private final int sources;
    private final double anomalyRate;
    private final boolean fullPrecision;
    private long sequence; // owned by the caller's thread
    private int lastSource; // owned by the caller's thread

    public EventGenerator(long seed, int sources, double anomalyRate) {
        this(seed, sources, anomalyRate, false);
    }

    public EventGenerator(long seed, int sources, double anomalyRate, boolean fullPrecision) {
        this.random = new Random(seed);
        this.sources = sources;
        this.anomalyRate = anomalyRate;
        this.fullPrecision = fullPrecision;
    }

    /** The next event as JSON. */
    public String next() {
        long n = sequence++;
        double spike = random.nextDouble() < anomalyRate ? 10 : 1;
        lastSource = random.nextInt(sources);
        if (fullPrecision) {
            return "{\"timestamp\":" + full(1_700_000_000L + n + random.nextDouble()) + ",\"source\":\"web-" + lastSource
                    + "\",\"cpu\":" + full((45 + random.nextGaussian() * 5) * spike)
                    + ",\"rps\":" + full(105 + random.nextGaussian() * 10)
                    + ",\"memory\":" + full(50 + random.nextGaussian() * 2)
                    + ",\"latency\":" + full(25 + random.nextGaussian() * 3) + "}";
        }
        return String.format(Locale.ROOT,
                "{\"timestamp\":%d,\"source\":\"web-%d\",\"cpu\":%.1f,\"rps\":%.1f,\"memory\":%.1f,\"latency\":%.1f}",
                1_700_000_000L + n, lastSource, (45 + random.nextGaussian() * 5) * spike,
                105 + random.nextGaussian() * 10, 50 + random.nextGaussian() * 2, 25 + random.nextGaussian() * 3);
    }

    /** A double in full, as the shortest decimal that reads back as it (up to 17 digits), without an exponent. */
    public static String full(double v) {
        return new BigDecimal(Double.toString(v)).toPlainString();
    }

    /** The source number of the event {@link #next()} returned last. */
    public int lastSource() {
        return lastSource;
    }
}
