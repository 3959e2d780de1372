package dev.pulse.server.query;

import dev.pulse.protocol.reply.JsonWriter;
import dev.pulse.server.analytics.Source;
import dev.pulse.server.analytics.SeriesRegistry;
import dev.pulse.server.http.Exchange;
import dev.pulse.server.http.RouteHandler;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /analyze?source=S[&metric=M]}: a source held here is answered on the event loop, {@code source=*} from
 * the fleet view (once the other replicas' part of it is fresh: see {@link RemoteSnapshots#fleetReady}), and any
 * other source from the shared tier, answered when Redis replies (off the loop).
 *
 * <p>Stateless and thread-safe: one instance serves every connection.
 */
public final class AnalyzeHandler implements RouteHandler.Whole {
    /** Longest a fleet view waits for the other replicas' sources; past it, it answers with what it has. */
    static final long FLEET_WAIT_MS = 2_000;

    private final SeriesRegistry registry;
    private final AnalyzeView analyze;
    private final FleetView fleet;
    private final RemoteSnapshots remote;

    public AnalyzeHandler(SeriesRegistry registry, AnalyzeView analyze, FleetView fleet, RemoteSnapshots remote) {
        this.registry = registry;
        this.analyze = analyze;
        this.fleet = fleet;
        this.remote = remote;
    }

    @Override
    public void answer(Exchange ex) {
        Exchange.Query query = ex.query();
        if (query == null) {
            return; // answered 400
        }
        String sourceName = Objects.requireNonNullElse(query.first("source"), "default");
        String metric = query.first("metric");
        if (sourceName.equals("*")) {
            CompletableFuture<Void> ready = remote.fleetReady().toCompletableFuture();
            if (ready.isDone()) {
                writeFleet(ex, Long.MIN_VALUE);
            } else { // the other replicas' sources are being read: a view built once they are, not a cached one
                ex.later(ready.copy().completeOnTimeout(null, FLEET_WAIT_MS, TimeUnit.MILLISECONDS)
                        .thenApply(read -> System.nanoTime()),
                        (readAt, failure) -> writeFleet(ex, readAt != null ? readAt : System.nanoTime()));
            }
            return;
        }
        Source source = registry.find(sourceName);
        if (source != null && source.metricCount() > 0) {
            JsonWriter w = ex.json();
            if (analyze.write(w, source, metric)) {
                ex.reply(HttpResponseStatus.OK, w);
            } else {
                w.buffer().release();
                ex.error(HttpResponseStatus.NOT_FOUND, "source \"" + sourceName + "\" has no metric \"" + metric + "\"");
            }
            return;
        }
        ex.later(remote.analyze(sourceName, metric), (body, failure) -> {
            if (body != null) {
                ByteBuf buf = ex.alloc().buffer(body.length());
                buf.writeCharSequence(body, StandardCharsets.UTF_8);
                ex.reply(HttpResponseStatus.OK, dev.pulse.server.http.Replies.JSON, buf);
            } else {
                ex.error(HttpResponseStatus.NOT_FOUND, metric == null
                        ? "unknown source \"" + sourceName + "\""
                        : "unknown source \"" + sourceName + "\" or metric \"" + metric + "\"");
            }
        });
    }

    private void writeFleet(Exchange ex, long notBeforeNanos) {
        JsonWriter w = ex.json();
        fleet.write(w, notBeforeNanos);
        ex.reply(HttpResponseStatus.OK, w);
    }

}
