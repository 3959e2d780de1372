package dev.pulse.server.query;

import dev.pulse.protocol.reply.JsonWriter;
import dev.pulse.server.analytics.Series;
import dev.pulse.server.analytics.SeriesSpec;

/** Writes one series as {@code /analyze} reports it. The caller holds the series' source lock. */
public final class SeriesJson {
    private SeriesJson() {
    }

    public static void write(JsonWriter w, Series s) {
        w.raw('{').key("count").number(s.count())
                .raw(',').key("last").number(s.last())
                .raw(',').key("rolling_avg").number(s.rollingAverage())
                .raw(',').key("stddev").number(s.stddev())
                .raw(',').key("zscore").number(s.lastZscore())
                .raw(',').key("score").number(s.lastScore())
                .raw(',').key("anomaly").bool(s.lastAnomaly())
                .raw(',').key("anomalies_total").number(s.anomaliesTotal());
        SeriesSpec spec = s.spec();
        if (spec.rule() != null) { // a rule of SERIES_RULES_FILE chose its settings: which, and what they are
            w.raw(',').key("rule").string(spec.rule())
                    .raw(',').key("detector").string(spec.detector())
                    .raw(',').key("window").number(spec.windowSize())
                    .raw(',').key("threshold").number(spec.threshold())
                    .raw(',').key("min_samples").number(spec.minSamples());
        }
        if (s.kind() != Series.PLAIN) {
            w.raw(',').key("kind").string(s.kind() == Series.RATE ? "rate" : "value");
        }
        w.raw('}');
    }
}
