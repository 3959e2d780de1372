package dev.pulse.server.http;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Request-handling latency over a recent interval, for {@code /stats}: event loops record into an HdrHistogram
 * {@link Recorder} (wait-free, no lock on the recording path); a reader swaps out the interval histogram and
 * keeps two rotating windows, so percentiles cover between one and two {@link #WINDOW_NANOS} of history.
 *
 * <p>Recording: any thread. Reading ({@link #snapshot}): serialised by this object's lock.
 */
public final class LatencyWindow {
    /** Length of one rotation window. */
    public static final long WINDOW_NANOS = 30_000_000_000L;
    private static final long HIGHEST_NANOS = 60_000_000_000L;

    private final Recorder recorder = new Recorder(HIGHEST_NANOS, 3);
    private Histogram interval;                                      // guarded by this
    private Histogram current = new Histogram(HIGHEST_NANOS, 3);     // guarded by this
    private Histogram previous = new Histogram(HIGHEST_NANOS, 3);    // guarded by this
    private long currentStart = System.nanoTime();                   // guarded by this

    public void record(long nanos) {
        recorder.recordValue(Math.min(Math.max(nanos, 1), HIGHEST_NANOS));
    }

    /** The recent interval's histogram (a copy the caller owns). */
    public synchronized Histogram snapshot() {
        interval = recorder.getIntervalHistogram(interval);
        long now = System.nanoTime();
        if (now - currentStart >= WINDOW_NANOS) {
            Histogram swap = previous;
            previous = current;
            current = swap;
            current.reset();
            currentStart = now;
        }
        current.add(interval);
        Histogram result = previous.copy();
        result.add(current);
        return result;
    }
}
