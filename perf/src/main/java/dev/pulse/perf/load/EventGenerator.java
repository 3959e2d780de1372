package dev.pulse.perf.load;

import java.util.Locale;
import java.util.Random;

/** Events of the contract's shape from a seeded generator, with an optional share of injected spikes. */
public final class EventGenerator {
    private final Random random;
    private final int sources;
    private final double anomalyRate;
    private long sequence; // owned by the caller's thread
    private int lastSource; // owned by the caller's thread

    public EventGenerator(long seed, int sources, double anomalyRate) {
        this.random = new Random(seed);
        this.sources = sources;
        this.anomalyRate = anomalyRate;
    }

    /** The next event as JSON. */
    public String next() {
        long n = sequence++;
        double spike = random.nextDouble() < anomalyRate ? 10 : 1;
        lastSource = random.nextInt(sources);
        return String.format(Locale.ROOT,
                "{\"timestamp\":%d,\"source\":\"web-%d\",\"cpu\":%.1f,\"rps\":%.1f,\"memory\":%.1f,\"latency\":%.1f}",
                1_700_000_000L + n, lastSource, (45 + random.nextGaussian() * 5) * spike,
                105 + random.nextGaussian() * 10, 50 + random.nextGaussian() * 2, 25 + random.nextGaussian() * 3);
    }

    /** The source number of the event {@link #next()} returned last. */
    public int lastSource() {
        return lastSource;
    }
}
