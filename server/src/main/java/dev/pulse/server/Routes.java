package dev.pulse.server;

import dev.pulse.server.anomaly.AnomaliesHandler;
import dev.pulse.server.http.Route;
import dev.pulse.server.page.LivePage;
import dev.pulse.server.http.RouteHandler;
import dev.pulse.server.ingest.IngestHandler;
import dev.pulse.server.lifecycle.DeleteSeriesHandler;
import dev.pulse.server.ingest.LabelledIngest;
import dev.pulse.server.ingest.OtlpHandler;
import dev.pulse.server.ingest.RemoteWriteHandler;
import dev.pulse.server.ops.OpsRoutes;
import dev.pulse.server.query.AnalyzeHandler;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The route table: the handler of each {@link Route}. A stateless handler is one shared instance
 * ({@code shared(h)}); one that keeps per-connection state is made per connection by its factory. Adding a route
 * is an entry in {@link Route}, a handler in its stage's package, and a line here (see {@code http.Router}).
 */
final class Routes {
    private Routes() {
    }

    static Map<Route, Supplier<? extends RouteHandler>> table(Services s) {
        Map<Route, Supplier<? extends RouteHandler>> t = new EnumMap<>(Route.class);
        t.put(Route.INGEST, IngestHandler.factory(s.registry, s.listener, s.anomalies.sink(), s.counters,
                s.config.maxBodyBytes()));
        LabelledIngest labelled = new LabelledIngest(s.registry, s.listener, s.anomalies.sink(), s.counters,
                s.config.labelled());
        t.put(Route.REMOTE_WRITE, () -> new RemoteWriteHandler(labelled, s.config.maxBodyBytes()));
        t.put(Route.OTLP_METRICS, () -> new OtlpHandler(labelled, s.config.maxBodyBytes()));
        t.put(Route.ANALYZE, shared(new AnalyzeHandler(s.registry, s.analyze, s.fleet, s.remote)));
        t.put(Route.STATS, shared(OpsRoutes.stats(s.stats)));
        t.put(Route.HEALTH, shared(OpsRoutes.health(s.redis)));
        t.put(Route.METRICS, shared(OpsRoutes.metrics(s.metricFamilies())));
        t.put(Route.ANOMALIES, shared(new AnomaliesHandler(s.anomalies.log, s.sharedAnomalies)));
        t.put(Route.PAGE, shared(new LivePage()));
        t.put(Route.SERIES, shared(new DeleteSeriesHandler(s.registry)));
        return t;
    }

    private static Supplier<RouteHandler> shared(RouteHandler handler) {
        return () -> handler;
    }
}
