package dev.pulse.server.query;

import dev.pulse.protocol.reply.JsonWriter;
import dev.pulse.server.analytics.Series;
import dev.pulse.server.analytics.SeriesSpec;

/** Writes one series as {@code /analyze} reports it. The caller holds the series' source lock. */
public final class SeriesJson {
    private SeriesJson() {
    }

    private static final JsonWriter.Name COUNT = JsonWriter.Name.of("count");
    private static final JsonWriter.Name LAST = JsonWriter.Name.of("last");
    private static final JsonWriter.Name ROLLING_AVG = JsonWriter.Name.of("rolling_avg");
    private static final JsonWriter.Name STDDEV = JsonWriter.Name.of("stddev");
    private static final JsonWriter.Name ZSCORE = JsonWriter.Name.of("zscore");
    private static final JsonWriter.Name SCORE = JsonWriter.Name.of("score");
    private static final JsonWriter.Name ANOMALY = JsonWriter.Name.of("anomaly");
    private static final JsonWriter.Name ANOMALIES_TOTAL = JsonWriter.Name.of("anomalies_total");

    public static void write(JsonWriter w, Series s) {
        w.beginObject()
                .name(COUNT).value(s.count())
                .name(LAST).value(s.last())
                .name(ROLLING_AVG).value(s.rollingAverage())
                .name(STDDEV).value(s.stddev())
                .name(ZSCORE).value(s.lastZscore())
                .name(SCORE).value(s.lastScore())
                .name(ANOMALY).value(s.lastAnomaly())
                .name(ANOMALIES_TOTAL).value(s.anomaliesTotal());
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
