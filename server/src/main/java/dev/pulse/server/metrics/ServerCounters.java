package dev.pulse.server.metrics;

import dev.pulse.protocol.event.DecodeError;
import dev.pulse.protocol.labelled.Skip;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The service's own counters: events, rejections by reason, anomalies, connections. Thread-safe: event loops
 * update them, {@code /stats} and {@code /metrics} read them.
 */
public final class ServerCounters {
    /** Rejection reasons beyond the decoder's: the {@code reason} label of {@code events_rejected_total}. */
    public enum Rejection {
        TOO_LARGE("too_large"),
        UNSUPPORTED_MEDIA_TYPE("unsupported_media_type"),
        LIMIT("limit"),
        UNAVAILABLE("unavailable"),
        OVERLOADED("overloaded");

        private final String label;

        Rejection(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final long startNanos = System.nanoTime();
    private final LongAdder events = new LongAdder();
    private final LongAdder anomalies = new LongAdder();
    private final LongAdder[] decodeRejections = adders(DecodeError.values().length);
    private final LongAdder[] otherRejections = adders(Rejection.values().length);
    private final LongAdder[] samplesSkipped = adders(Skip.values().length);
    private final AtomicInteger activeConnections = new AtomicInteger();

    /** Samples of labelled data (remote write, OTLP) not applied, by reason. */
    public void samplesSkipped(Skip reason, long n) {
        if (n > 0) {
            samplesSkipped[reason.ordinal()].add(n);
        }
    }

    public long samplesSkippedCount(Skip reason) {
        return samplesSkipped[reason.ordinal()].sum();
    }

    public void eventsApplied(int n, int anomaliesFlagged) {
        events.add(n);
        if (anomaliesFlagged > 0) {
            anomalies.add(anomaliesFlagged);
        }
    }

    public void rejected(DecodeError reason) {
        decodeRejections[reason.ordinal()].increment();
    }

    public void rejected(Rejection reason) {
        otherRejections[reason.ordinal()].increment();
    }

    public int connectionOpened() {
        return activeConnections.incrementAndGet();
    }

    public void connectionClosed() {
        activeConnections.decrementAndGet();
    }

    public int activeConnections() {
        return activeConnections.get();
    }

    public long eventsTotal() {
        return events.sum();
    }

    public long anomaliesTotal() {
        return anomalies.sum();
    }

    public long rejectedCount(Rejection reason) {
        return otherRejections[reason.ordinal()].sum();
    }

    public long rejectedCount(DecodeError reason) {
        return decodeRejections[reason.ordinal()].sum();
    }

    public long rejectedTotal() {
        long sum = 0;
        for (LongAdder a : decodeRejections) {
            sum += a.sum();
        }
        for (LongAdder a : otherRejections) {
            sum += a.sum();
        }
        return sum;
    }

    public double uptimeSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }
}
