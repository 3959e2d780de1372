package dev.pulse.server.http;

import io.netty.util.concurrent.FastThreadLocal;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Request-handling latency over a recent interval, for {@code /stats}: each recording thread (an event loop) has its
 * own HdrHistogram {@link SingleWriterRecorder}, so recording touches no memory another core writes (one shared
 * recorder cost every request a few atomic updates of lines the other loop was writing too); a reader swaps out
 * each thread's interval histogram and keeps two rotating windows, so percentiles cover between one and two
 * {@link #WINDOW_NANOS} of history.
 *
 * <p>Recording: any thread, each into its own recorder. Reading ({@link #snapshot}): serialised by this object's lock.
 */
public final class LatencyWindow {
    /** Length of one rotation window. */
    public static final long WINDOW_NANOS = 30_000_000_000L;
    private static final long HIGHEST_NANOS = 60_000_000_000L;

    private final List<Shard> shards = new CopyOnWriteArrayList<>(); // one per recording thread
    private final FastThreadLocal<SingleWriterRecorder> own = new FastThreadLocal<>() { // an indexed read on a loop
        @Override
        protected SingleWriterRecorder initialValue() {
            return newRecorder();
        }
    };
    private Histogram current = new Histogram(HIGHEST_NANOS, 3);     // guarded by this
    private Histogram previous = new Histogram(HIGHEST_NANOS, 3);    // guarded by this
    private long currentStart = System.nanoTime();                   // guarded by this

    public void record(long nanos) {
        own.get().recordValue(Math.min(Math.max(nanos, 1), HIGHEST_NANOS));
    }

    private SingleWriterRecorder newRecorder() {
        Shard s = new Shard(new SingleWriterRecorder(HIGHEST_NANOS, 3));
        shards.add(s);
        return s.recorder;
    }

    /** A thread's recorder, and the interval histogram last taken from it (a recorder takes back only its own). */
    private static final class Shard {
        final SingleWriterRecorder recorder;
        Histogram interval; // guarded by the window's lock

        Shard(SingleWriterRecorder recorder) {
            this.recorder = recorder;
        }
    }

    /** The recent interval's histogram (a copy the caller owns). */
    public synchronized Histogram snapshot() {
        long now = System.nanoTime();
        if (now - currentStart >= WINDOW_NANOS) {
            Histogram swap = previous;
            previous = current;
            current = swap;
            current.reset();
            currentStart = now;
        }
        for (Shard s : shards) {
            s.interval = s.recorder.getIntervalHistogram(s.interval);
            current.add(s.interval);
        }
        Histogram result = previous.copy();
        result.add(current);
        return result;
    }
}
