package dev.pulse.server.query;

import dev.pulse.protocol.reply.JsonWriter;
import dev.pulse.server.analytics.Series;
import dev.pulse.server.analytics.SeriesSpec;

/** Writes one series as {@code /analyze} reports it. The caller holds the series' source lock. */
public final class SeriesJson {
    private SeriesJson() {
    }

    public static void write(JsonWriter w, Series s) {
        w.beginObject()
                .name("count").value(s.count())
                .name("last").value(s.last())
                .name("rolling_avg").value(s.rollingAverage())
                .name("stddev").value(s.stddev())
                .name("zscore").value(s.lastZscore())
                .name("score").value(s.lastScore())
                .name("anomaly").value(s.lastAnomaly())
                .name("anomalies_total").value(s.anomaliesTotal());
        SeriesSpec spec = s.spec();
        if (spec.rule() != null) { // a rule of SERIES_RULES_FILE chose its settings: which, and what they are
            w.name("rule").value(spec.rule())
                    .name("detector").value(spec.detector())
                    .name("window").value(spec.windowSize())
                    .name("threshold").value(spec.threshold())
                    .name("min_samples").value(spec.minSamples());
        }
        if (s.kind() != Series.PLAIN) {
            w.name("kind").value(s.kind() == Series.RATE ? "rate" : "value");
        }
        w.endObject();
    }
}
