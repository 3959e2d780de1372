package dev.pulse.server.query;

import dev.pulse.protocol.reply.JsonWriter;
import dev.pulse.server.analytics.Series;

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
        if (s.kind() != Series.PLAIN) {
            w.raw(',').key("kind").string(s.kind() == Series.RATE ? "rate" : "value");
        }
        w.raw('}');
    }
}
