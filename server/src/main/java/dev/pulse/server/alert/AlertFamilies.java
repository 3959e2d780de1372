package dev.pulse.server.alert;

import dev.pulse.protocol.reply.PrometheusTextWriter;
import dev.pulse.server.metrics.MetricFamilies;

/** The alert sender's families in {@code /metrics}; all zero when {@code ALERTMANAGER_URL} is empty. */
public final class AlertFamilies implements MetricFamilies {
    private final AlertSender sender; // null: alerting off

    public AlertFamilies(AlertSender sender) {
        this.sender = sender;
    }

    @Override
    public void writeTo(PrometheusTextWriter out) {
        AlertSender s = sender;
        out.single("alerts_sent_total", "counter", "POSTs of alerts that an Alertmanager accepted.",
                s == null ? 0 : s.sent());
        out.single("alerts_failed_total", "counter",
                "POSTs of alerts that failed (no connection, timeout, or an error status), each retried with backoff.",
                s == null ? 0 : s.failed());
        out.single("alerts_dropped_total", "counter",
                "Alerts given up on: anomalies the full alert queue refused, resolutions no Alertmanager took in time.",
                s == null ? 0 : s.dropped());
        out.single("alerts_firing", "gauge", "Series whose alert is firing.", s == null ? 0 : s.firing());
    }
}
