package dev.pulse.server.redis;

import dev.pulse.protocol.reply.JsonWriter;
import dev.pulse.server.analytics.Series;
import dev.pulse.server.analytics.Source;
import dev.pulse.server.query.SeriesJson;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which sources' snapshot hashes a write round rewrites, and their fields: while values keep coming a source's
 * snapshot is rewritten at most every {@value #INTERVAL_NANOS} ns, at once when one of its series is new to the
 * writer (a restart finds a series by its hash field), and for every touched source when the queue is found empty
 * or the writer stops. So formatting snapshots costs per source and interval, not per value. Every field is the
 * writer thread's.
 */
final class SnapshotSchedule {
    /** As {@code ANALYZE_CACHE_TTL_MS}' default: the fleet view is no fresher than that anyway. */
    static final long INTERVAL_NANOS = 1_000_000_000L;

    private final Map<Source, Set<Series>> dirty = new LinkedHashMap<>();        // touched since their snapshot
    private final Map<Source, Long> lastSnapshotNanos = new IdentityHashMap<>(); // bounded by MAX_SOURCES
    private final ByteBuf json = Unpooled.buffer(256);                           // reused for every series' JSON
    private final JsonWriter writer = new JsonWriter();

    /** Whether no source waits for a snapshot. */
    boolean isEmpty() {
        return dirty.isEmpty();
    }

    /** {@code s} got values this round. */
    void touched(Series s) {
        dirty.computeIfAbsent(s.source(), k -> Collections.newSetFromMap(new IdentityHashMap<>())).add(s);
    }

    /** Lets go of a forgotten source or series, so churn does not grow the maps. */
    void forget(ForgetQueue.Forget f) {
        Set<Series> touched = dirty.get(f.source());
        if (touched != null) {
            for (Series s : f.series()) {
                touched.remove(s);
            }
        }
        if (f.sourceGone() || touched != null && touched.isEmpty()) {
            dirty.remove(f.source());
        }
        if (f.sourceGone()) {
            lastSnapshotNanos.remove(f.source());
        }
    }

    /**
     * The sources due a snapshot this round: every touched one when {@code all} (nothing more is queued, or the
     * writer stops), else those in {@code fresh} (a series new to the writer) and those whose last snapshot is older
     * than the interval.
     */
    List<Source> due(boolean all, Set<Source> fresh) {
        List<Source> due = new ArrayList<>();
        long now = System.nanoTime();
        for (Iterator<Source> it = dirty.keySet().iterator(); it.hasNext(); ) {
            Source source = it.next();
            if (source.retired()) { // forgotten while its removal was dropped (queue full): let go of it here
                it.remove();
                lastSnapshotNanos.remove(source);
                continue;
            }
            Long last = lastSnapshotNanos.get(source);
            if (all || last == null || fresh.contains(source) || now - last >= INTERVAL_NANOS) {
                due.add(source);
            }
        }
        return due;
    }

    /** The hash fields of {@code source}: the /analyze JSON of each series touched, read under the source's lock. */
    Map<byte[], byte[]> fields(Source source) {
        Map<byte[], byte[]> out = new HashMap<>();
        synchronized (source) {
            for (Series s : dirty.get(source)) {
                if (s.retired()) {
                    continue;
                }
                SeriesJson.write(writer.target(json.clear()), s); // one JSON value per series, not a list
                byte[] bytes = new byte[json.readableBytes()];
                json.getBytes(0, bytes);
                out.put(s.metric().getBytes(StandardCharsets.UTF_8), bytes);
            }
        }
        return out;
    }

    /** The round that wrote {@code sources}' snapshots succeeded. */
    void written(List<Source> sources) {
        long now = System.nanoTime();
        for (Source source : sources) {
            dirty.remove(source);
            lastSnapshotNanos.put(source, now);
        }
    }
}
