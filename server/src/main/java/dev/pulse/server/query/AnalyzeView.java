package dev.pulse.server.query;

import dev.pulse.protocol.reply.JsonWriter;
import dev.pulse.server.analytics.Series;
import dev.pulse.server.analytics.Source;

/**
 * {@code GET /analyze?source=S[&metric=M]} for a source held in memory. Reads under the source's lock, so the
 * answer reflects every event whose POST has been answered (read-your-writes).
 */
public final class AnalyzeView {
    private final int window;
    private final double threshold;

    public AnalyzeView(int window, double threshold) {
        this.window = window;
        this.threshold = threshold;
    }

    /**
     * Writes the source's metrics; returns false (writing nothing) when {@code metric} is given and the source
     * has no such series.
     */
    public boolean write(JsonWriter w, Source source, String metric) {
        synchronized (source) {
            if (source.retired()) {
                return false; // forgotten since it was looked up
            }
            Series only = null;
            if (metric != null) {
                only = source.find(metric);
                if (only == null) {
                    return false;
                }
            }
            AnalyzeJson.openMemory(w, source.name(), window, threshold);
            writeMetrics(w, source, only);
            w.endObject();
            return true;
        }
    }

    /** {@code {"cpu": {...}, ...}} for every series of the source (or only {@code only}). Holds the lock. */
    static void writeMetrics(JsonWriter w, Source source, Series only) {
        w.beginObject();
        for (Series s : source.series()) {
            if (only == null || s == only) {
                w.name(s.metric());
                SeriesJson.write(w, s);
            }
        }
        w.endObject();
    }
}
