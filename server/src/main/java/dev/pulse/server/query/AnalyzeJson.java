package dev.pulse.server.query;

import dev.pulse.protocol.reply.JsonWriter;

/**
 * The shape of {@code /analyze} around the metrics, whichever tier answers: memory (this replica's series) or
 * Redis (what another replica wrote, with its age). Each method opens an object and ends with the name
 * {@code "metrics"}; the caller writes the metrics object ({@link SeriesJson} per series) and closes.
 */
public final class AnalyzeJson {
    private AnalyzeJson() {
    }

    /** {@code {"source":S,"from":"memory","window":W,"threshold":T,"metrics":} */
    public static JsonWriter openMemory(JsonWriter w, String source, int window, double threshold) {
        w.beginObject().name("source").value(source).name("from").value("memory");
        return settings(w, window, threshold);
    }

    /** {@code {"source":S,"from":"redis","age_ms":A,"window":W,"threshold":T,"metrics":} */
    public static JsonWriter openRedis(JsonWriter w, String source, long ageMs, int window, double threshold) {
        w.beginObject().name("source").value(source).name("from").value("redis").name("age_ms").value(ageMs);
        return settings(w, window, threshold);
    }

    /** One source of the fleet view held here: {@code {"from":"memory","metrics":} */
    public static JsonWriter openMemoryEntry(JsonWriter w) {
        return w.beginObject().name("from").value("memory").name("metrics");
    }

    /** One source of the fleet view only Redis holds: {@code {"from":"redis","age_ms":A,"metrics":} */
    public static JsonWriter openRedisEntry(JsonWriter w, long ageMs) {
        return w.beginObject().name("from").value("redis").name("age_ms").value(ageMs).name("metrics");
    }

    private static JsonWriter settings(JsonWriter w, int window, double threshold) {
        return w.name("window").value(window).name("threshold").value(threshold).name("metrics");
    }
}
