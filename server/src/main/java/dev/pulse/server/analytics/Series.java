package dev.pulse.server.analytics;

/**
 * One (source, metric) series: its rolling window, its detector and what {@code /analyze} reports of it.
 *
 * <p>Not thread-safe: every field is guarded by the owning {@link Source}'s lock ({@code synchronized (source)}),
 * which every reader takes: {@code /analyze}, the fleet view, the Redis writer and the exporter.
 *
 * <p>Lifecycle: a series is {@linkplain #retired() retired} once, under its source's lock and the registry's creation
 * lock, when it expires or is deleted; it is then out of the registry, and whoever writes must check the flag under
 * the source's lock and find or create the series anew (see {@link BatchApplier}).
 */
public final class Series {
    /** Kinds of series, as {@code /analyze} names them: created by {@code /metrics-data} (no kind reported). */
    public static final byte PLAIN = 0;
    /** From labelled data, judged by its value. */
    public static final byte VALUE = 1;
    /** From labelled data, judged by its per-second rate. */
    public static final byte RATE = 2;

    private final Source source;
    private final String metric;
    private final RollingWindow window;
    private Detector detector;     // guarded by source's lock: a new one when the last has outgrown the series
    private final SeriesSpec spec;

    // All fields below: guarded by source's lock.
    private long count;            // values ever received
    private double last;           // the last value
    private double lastZscore;     // z of the last value against the window before it; NaN when undefined
    private double lastScore;      // the detector's score of the last value
    private boolean lastAnomaly;   // the detector's decision on the last value
    private long anomaliesTotal;   // values flagged, ever
    private long lastWriteMs;      // receive time of the last value (or creation); read without the lock by the sweep
    private volatile boolean retired; // set once under source's lock; the Redis writer reads it without the lock
    private long keysRefreshedMs;     // owned by the Redis writer thread: when it last set the expiry of the keys
    private long writeRound = -1;     // owned by the Redis writer thread: the round that gave it writeSlot
    private int writeSlot;            // owned by the Redis writer thread: its place among that round's series
    private double lastTimestamp = Double.NEGATIVE_INFINITY; // epoch seconds of the last value (or counter sample)
    private byte kind;             // PLAIN, VALUE or RATE: how labelled data last asked for it to be judged
    private double counterValue = Double.NaN; // a RATE series' last cumulative value; NaN until primed
    private byte exported;         // how /metrics shows it (0: not decided); written under source's lock by the exporter

    // Set by observe() for the caller to read right after, under the same lock.
    private double meanBefore;
    private double stddevBefore;

    Series(Source source, String metric, SeriesSpec spec) {
        this.source = source;
        this.metric = metric;
        this.spec = spec;
        this.window = new RollingWindow(spec.windowSize());
        this.detector = spec.detectors().get();
        this.lastWriteMs = System.currentTimeMillis();
    }

    public Source source() {
        return source;
    }

    /** How {@code /metrics} shows this series, 0 until decided. Under source's lock. */
    public byte exported() {
        return exported;
    }

    public void exported(byte how) {
        exported = how;
    }

    public String metric() {
        return metric;
    }

    /** The settings it was created with, and the rule that chose them. */
    public SeriesSpec spec() {
        return spec;
    }

    /**
     * Judges {@code x} against the window before it (z-score and the detector's score and decision), then lets
     * it in. Returns the decision; {@link #meanBefore()}, {@link #stddevBefore()} say what it was judged against.
     */
    public boolean observe(double x, double epochSeconds) {
        RollingWindow w = window;
        int n = w.size();
        double sd = w.stddev(); // one square root per value, shared by the z-score
        meanBefore = w.mean();
        stddevBefore = sd;
        double z = w.zscore(x, sd);
        double score = detector.observe(x, epochSeconds, z, n);
        boolean anomaly = detector.lastAnomaly();
        if (detector.outgrown()) {
            detector = spec.detectors().get(); // rare: after a burst of garbage is long over
        }
        w.add(x);
        count++;
        last = x;
        lastZscore = z;
        // Values whose differences pass a double's range (both signs beyond about 9e307) leave a detector's score NaN;
        // the decision stands in, so a reply's score is always a number, above 0.5 exactly when flagged.
        lastScore = score == score ? score : anomaly ? 1.0 : 0.0;
        lastAnomaly = anomaly;
        lastTimestamp = epochSeconds;
        if (anomaly) {
            anomaliesTotal++;
        }
        return anomaly;
    }

    /** Records that a value was received at {@code epochMillis}: all the applying thread pays for expiry. */
    public void touch(long epochMillis) {
        lastWriteMs = epochMillis;
    }

    /** Receive time of the last value, epoch milliseconds. Exact under the lock; without it, possibly a write late. */
    public long lastWriteMs() {
        return lastWriteMs;
    }

    /** Whether the series expired or was deleted: it takes no more values, and is out of the registry. */
    public boolean retired() {
        return retired;
    }

    /** Called under the source's lock and the registry's creation lock. */
    void retire() {
        retired = true;
    }

    /** When the Redis writer last set the expiry of this series' key. Redis writer thread only. */
    public long keysRefreshedMs() {
        return keysRefreshedMs;
    }

    public void keysRefreshedMs(long epochMillis) {
        keysRefreshedMs = epochMillis;
    }

    /** The Redis writer's place for this series in write round {@code round}, or -1 when it has none yet. */
    public int writeSlot(long round) {
        return writeRound == round ? writeSlot : -1;
    }

    /** Gives this series place {@code slot} in write round {@code round}; the Redis writer thread only. */
    public void writeSlot(long round, int slot) {
        writeRound = round;
        writeSlot = slot;
    }

    /**
     * Labelled data: whether a sample at {@code epochSeconds} is later than the last one accepted, so a batch the
     * client retries is not counted twice.
     */
    public boolean isLater(double epochSeconds) {
        return epochSeconds > lastTimestamp;
    }

    /**
     * Labelled cumulative data: accepts the counter's value at {@code epochSeconds} (later than the last, see
     * {@link #isLater}) and returns its per-second increase since the previous sample, or NaN when the sample only
     * primes the next one: the first sample, the first after a warm restart, or a decrease (a counter reset).
     */
    public double counterRate(double value, double epochSeconds) {
        double before = counterValue;
        double beforeTime = lastTimestamp;
        counterValue = value;
        lastTimestamp = epochSeconds;
        if (before != before || value < before) {
            return Double.NaN;
        }
        return (value - before) / (epochSeconds - beforeTime);
    }

    /** Labelled data says how the series is judged: {@link #VALUE} or {@link #RATE}. */
    public void kind(byte kind) {
        this.kind = kind;
    }

    public byte kind() {
        return kind;
    }

    public double meanBefore() {
        return meanBefore;
    }

    public double stddevBefore() {
        return stddevBefore;
    }

    public long count() {
        return count;
    }

    public double last() {
        return last;
    }

    public double lastZscore() {
        return lastZscore;
    }

    public double lastScore() {
        return lastScore;
    }

    public boolean lastAnomaly() {
        return lastAnomaly;
    }

    public long anomaliesTotal() {
        return anomaliesTotal;
    }

    public double rollingAverage() {
        return window.mean();
    }

    public double stddev() {
        return window.stddev();
    }

    /** Restores the counters a snapshot recorded, after the window was rebuilt from history. */
    public void restoreCounters(long count, long anomaliesTotal) {
        this.count = Math.max(this.count, count);
        this.anomaliesTotal = Math.max(this.anomaliesTotal, anomaliesTotal);
    }
}
