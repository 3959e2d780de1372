package dev.pulse.server.anomaly;

import dev.pulse.protocol.reply.JsonWriter;

/**
 * One entry of {@code /anomalies}, the same whether this replica's log or the Redis stream answers: defined here
 * once so the two readers cannot drift apart.
 */
public final class AnomalyJson {
    private AnomalyJson() {
    }

    public static void write(JsonWriter w, long timeMs, String source, String metric, double value, double mean,
                             double stddev, double zscore, double score, String detector) {
        w.beginObject().name("time_ms").value(timeMs)
                .name("source").value(source)
                .name("metric").value(metric)
                .name("value").value(value)
                .name("mean").value(mean)
                .name("stddev").value(stddev)
                .name("zscore").value(zscore)
                .name("score").value(score)
                .name("detector").value(detector)
                .endObject();
    }
}
