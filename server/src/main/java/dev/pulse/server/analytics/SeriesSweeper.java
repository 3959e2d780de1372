package dev.pulse.server.analytics;

import dev.pulse.server.log.Log;

/**
 * The thread that forgets idle series ({@code SERIES_TTL_MS}): every tenth of the TTL (at least 10 ms, at most a
 * second) it asks the registry to expire what received no value for the TTL. The event loops pay only the time
 * stamp of each write; a series is forgotten between one TTL and one sweep interval more after its last value.
 */
public final class SeriesSweeper implements AutoCloseable {
    private final SeriesRegistry registry;
    private final long ttlMillis;
    private final long intervalMillis;
    private final Thread thread;
    private volatile boolean closed; // set by the shutdown thread

    public SeriesSweeper(SeriesRegistry registry, long ttlMillis) {
        this.registry = registry;
        this.ttlMillis = ttlMillis;
        this.intervalMillis = intervalFor(ttlMillis);
        this.thread = new Thread(this::run, "series-sweeper");
        thread.setDaemon(true);
    }

    /** A tenth of the TTL, within [10 ms, 1 s]. */
    public static long intervalFor(long ttlMillis) {
        return Math.max(10, Math.min(1_000, ttlMillis / 10));
    }

    public SeriesSweeper start() {
        thread.start();
        return this;
    }

    private void run() {
        while (!closed) {
            try {
                Thread.sleep(intervalMillis);
            } catch (InterruptedException e) {
                return;
            }
            try {
                registry.expireIdle(System.currentTimeMillis() - ttlMillis);
            } catch (RuntimeException e) {
                Log.warn("series sweep failed: " + e); // a bug; the next round tries again
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
