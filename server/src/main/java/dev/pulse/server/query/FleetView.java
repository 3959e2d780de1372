package dev.pulse.server.query;

import dev.pulse.protocol.reply.JsonWriter;
import dev.pulse.protocol.reply.PrometheusTextWriter;
import dev.pulse.server.metrics.MetricFamilies;
import dev.pulse.server.analytics.SeriesRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.concurrent.atomic.LongAdder;

/**
 * {@code GET /analyze?source=*}: every source's metrics (those held here, then those only other replicas wrote to
 * Redis), served from a snapshot at most {@code ttlMillis} old.
 * Rendering every source is O(series); the cache makes a burst of fleet reads cost one rendering.
 *
 * <p>Thread-safe: any event loop may serve; the snapshot is an immutable byte array behind a volatile reference
 * (two loops missing at once both render, the later one wins).
 */
public final class FleetView implements MetricFamilies {
    private final SeriesRegistry registry;
    private final int window;
    private final double threshold;
    private final long ttlNanos;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final java.util.function.Supplier<java.util.Map<String, String>> remote;
    private volatile Snapshot snapshot; // written by whichever event loop renders

    private record Snapshot(byte[] sources, long builtNanos) {
    }

    /** @param remote sources other replicas wrote (name to JSON entry), merged where this replica has none */
    public FleetView(SeriesRegistry registry, int window, double threshold, long ttlMillis,
                     java.util.function.Supplier<java.util.Map<String, String>> remote) {
        this.registry = registry;
        this.remote = remote;
        this.window = window;
        this.threshold = threshold;
        this.ttlNanos = ttlMillis * 1_000_000L;
    }

    /**
     * The fleet view, from the snapshot unless it is too old or was built before {@code notBeforeNanos} (a reader
     * that waited for other replicas' sources wants a snapshot that has them; readers that waited together share
     * the first one built after their wait began).
     */
    public void write(JsonWriter w, long notBeforeNanos) {
        long now = System.nanoTime();
        Snapshot s = snapshot;
        if (s != null && now - s.builtNanos <= ttlNanos && s.builtNanos - notBeforeNanos >= 0) {
            hits.increment();
        } else {
            misses.increment();
            s = render(now);
            snapshot = s;
        }
        w.beginObject().name("window").value(window)
                .name("threshold").value(threshold)
                .name("age_ms").value((now - s.builtNanos) / 1_000_000L)
                .name("sources").rawValue(s.sources)
                .endObject();
    }

    public long hits() {
        return hits.sum();
    }

    public long misses() {
        return misses.sum();
    }

    @Override
    public void writeTo(PrometheusTextWriter out) {
        out.single("analyze_cache_hits_total", "counter", "Fleet views served from the snapshot cache.", hits());
        out.single("analyze_cache_misses_total", "counter", "Fleet views that rendered a new snapshot.", misses());
    }

    private Snapshot render(long now) {
        ByteBuf buf = Unpooled.buffer(4096);
        JsonWriter w = new JsonWriter().target(buf);
        w.beginObject();
        registry.forEachSource(source -> {
            synchronized (source) {
                if (source.metricCount() > 0) {
                    AnalyzeJson.openMemoryEntry(w.name(source.name()));
                    AnalyzeView.writeMetrics(w, source, null);
                    w.endObject();
                }
            }
            return true;
        });
        for (java.util.Map.Entry<String, String> e : remote.get().entrySet()) {
            dev.pulse.server.analytics.Source local = registry.find(e.getKey());
            if (local == null || local.metricCount() == 0) {
                w.name(e.getKey()).rawValue(e.getValue());
            }
        }
        w.endObject();
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        return new Snapshot(bytes, now);
    }
}
