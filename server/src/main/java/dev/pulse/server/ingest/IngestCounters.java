package dev.pulse.server.ingest;

import dev.pulse.protocol.event.DecodeError;
import dev.pulse.protocol.labelled.Skip;
import dev.pulse.protocol.reply.PrometheusTextWriter;
import dev.pulse.server.metrics.MetricFamilies;

import java.util.concurrent.atomic.LongAdder;

/**
 * What ingest counts: events applied, anomalies flagged, rejected requests by reason. Thread-safe: event loops
 * update them, {@code /stats} and {@code /metrics} read them.
 */
public final class IngestCounters implements MetricFamilies {
    /** Rejection reasons beyond the decoder's: the {@code reason} label of {@code events_rejected_total}. */
    public enum Rejection {
        TOO_LARGE("too_large"),
        UNSUPPORTED_MEDIA_TYPE("unsupported_media_type"),
        LIMIT("limit"),
        UNAVAILABLE("unavailable"),
        OVERLOADED("overloaded"),
        UNAUTHORIZED("unauthorized");

        private final String label;

        Rejection(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final LongAdder events = new LongAdder();
    private final LongAdder anomalies = new LongAdder();
    private final LongAdder[] decodeRejections = MetricFamilies.adders(DecodeError.values().length);
    private final LongAdder[] otherRejections = MetricFamilies.adders(Rejection.values().length);
    private final LongAdder[] samplesSkipped = MetricFamilies.adders(Skip.values().length);

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

    @Override
    public void writeTo(PrometheusTextWriter out) {
        out.single("events_ingested_total", "counter", "Events applied to the rolling windows.", eventsTotal());
        out.family("events_rejected_total", "counter", "Rejected ingest requests (one per request), by reason.");
        for (DecodeError e : DecodeError.values()) {
            out.sample("events_rejected_total").label(true, "reason", e.label()).value(true, rejectedCount(e));
        }
        for (Rejection r : Rejection.values()) {
            out.sample("events_rejected_total").label(true, "reason", r.label()).value(true, rejectedCount(r));
        }
        out.family("samples_skipped_total", "counter",
                "Samples of remote write and OTLP requests not applied (the rest of each request was), by reason.");
        for (Skip r : Skip.values()) {
            out.sample("samples_skipped_total").label(true, "reason", r.label()).value(true, samplesSkippedCount(r));
        }
    }
}
