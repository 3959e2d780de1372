package dev.pulse.perf.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the generator measured: latencies in an HdrHistogram {@link Recorder} (any event loop records, the reporter
 * swaps intervals out), replies by status, events, connection errors. Thread-safe.
 */
final class Results {
    static final long HIGHEST_NANOS = 60_000_000_000L;

    private final Recorder recorder = new Recorder(HIGHEST_NANOS, 3);
    private final LongAdder[] byStatus = new LongAdder[600];
    private final LongAdder events = new LongAdder();
    private final LongAdder connectionErrors = new LongAdder();

    Results() {
        for (int i = 0; i < byStatus.length; i++) {
            byStatus[i] = new LongAdder();
        }
    }

    void record(int status, long latencyNanos, int eventsInRequest) {
        recorder.recordValue(Math.min(Math.max(1, latencyNanos), HIGHEST_NANOS));
        byStatus[status >= 0 && status < 600 ? status : 0].increment();
        if (status >= 200 && status < 300) {
            events.add(eventsInRequest);
        }
    }

    void connectionError() {
        connectionErrors.increment();
    }

    Histogram interval(Histogram recycle) {
        return recorder.getIntervalHistogram(recycle);
    }

    long status(int code) {
        return byStatus[code].sum();
    }

    long events() {
        return events.sum();
    }

    long connectionErrors() {
        return connectionErrors.sum();
    }

    /** Forgets the counts so far (the end of the warm-up). */
    void resetCounts() {
        for (LongAdder a : byStatus) {
            a.reset();
        }
        events.reset();
        connectionErrors.reset();
    }
}
