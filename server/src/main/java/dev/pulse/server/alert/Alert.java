package dev.pulse.server.alert;

import dev.pulse.server.analytics.Series;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * One series' alert: firing from its first anomaly until {@code ALERT_RESOLVE_MS} pass without another, then
 * resolved. Remembers, per Alertmanager, which state it last delivered and when, so the sender knows what is due.
 *
 * <p>Not thread-safe: owned by the {@link AlertSender}'s thread.
 */
final class Alert {
    static final String NAME = "PulseAnomaly";
    /** Every alert has this severity: the label is part of an alert's identity, so it cannot follow its score. */
    static final String SEVERITY = "warning";
    /** The earliest start an alert is given: 0000-01-01T00:00:00Z. */
    static final long EARLIEST_MS = Instant.parse("0000-01-01T00:00:00Z").toEpochMilli();

    final Series series;
    final String source;
    final String metric;
    final String detector; // of the series when its alert began: a label, so it stays
    // All fields below: owned by the sender thread.
    boolean firing;
    long startsAtMs;      // the first anomaly of this firing
    long lastAnomalyMs;   // when the sender last heard of an anomaly of this series (its own clock)
    long resolvedAtMs;    // when it was resolved; meaningful while !firing
    double value;         // the last anomaly's figures, for the annotations
    double mean;
    double zscore;
    double score;
    int generation;       // bumped at each change between firing and resolved
    final int[] sentGeneration; // per Alertmanager: the generation it last received; -1 for none
    final long[] lastSentMs;    // per Alertmanager: when it last received this alert

    Alert(Series series, String detector, int targets) {
        this.series = series;
        this.detector = detector;
        this.source = series.source().name();
        this.metric = series.metric();
        this.sentGeneration = new int[targets];
        this.lastSentMs = new long[targets];
        Arrays.fill(sentGeneration, -1);
    }

    /** An anomaly at {@code timeMs} (the value's own time), heard of at {@code nowMs}. */
    void anomaly(long timeMs, long nowMs, double x, double m, double z, double sc) {
        if (!firing) {
            firing = true;
            // a value stamped in the future must not start after it ends, nor one before year 0 where Alertmanager,
            // which reads years 0000-9999 only, would refuse the whole POST and every alert in it
            startsAtMs = Math.max(EARLIEST_MS, Math.min(timeMs, nowMs));
            generation++;
        }
        lastAnomalyMs = nowMs;
        value = x;
        mean = m;
        zscore = z;
        score = sc;
    }

    void resolve(long nowMs) {
        if (firing) {
            firing = false;
            resolvedAtMs = Math.max(nowMs, startsAtMs);
            generation++;
        }
    }

    /** Whether Alertmanager {@code target} should receive this alert now. */
    boolean due(int target, long nowMs, long resendMs) {
        return sentGeneration[target] != generation || (firing && nowMs - lastSentMs[target] >= resendMs);
    }

    /** Whether every Alertmanager has received the resolution. */
    boolean resolutionDelivered() {
        if (firing) {
            return false;
        }
        for (int g : sentGeneration) {
            if (g != generation) {
                return false;
            }
        }
        return true;
    }

    /** This alert as one element of Alertmanager's {@code postableAlerts}; a firing one ends {@code aheadMs} from now. */
    void json(StringBuilder b, long nowMs, long aheadMs, String linkBase) {
        b.append("{\"labels\":{\"alertname\":\"").append(NAME).append("\",\"source\":");
        quote(b, source);
        b.append(",\"metric\":");
        quote(b, metric);
        b.append(",\"detector\":");
        quote(b, detector);
        b.append(",\"severity\":\"").append(SEVERITY).append("\"},\"annotations\":{\"summary\":");
        quote(b, Summary.sentence(source, metric, value, mean, zscore));
        b.append(",\"value\":");
        quote(b, Summary.number(value));
        b.append(",\"zscore\":");
        quote(b, Double.isNaN(zscore) ? "undefined" : Summary.number(zscore));
        b.append(",\"score\":");
        quote(b, Summary.number(score));
        b.append("},\"startsAt\":\"").append(Instant.ofEpochMilli(startsAtMs))
                .append("\",\"endsAt\":\"").append(Instant.ofEpochMilli(firing ? nowMs + aheadMs : resolvedAtMs))
                .append("\",\"generatorURL\":");
        quote(b, linkBase + "/analyze?source=" + URLEncoder.encode(source, StandardCharsets.UTF_8)
                + "&metric=" + URLEncoder.encode(metric, StandardCharsets.UTF_8));
        b.append('}');
    }

    /** A JSON string; labelled metric names may hold quotes, backslashes and any character. */
    static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        b.append('"');
    }
}
