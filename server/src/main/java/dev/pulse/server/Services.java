package dev.pulse.server;

import dev.pulse.server.alert.AlertFamilies;
import dev.pulse.server.analytics.BatchListener;
import dev.pulse.server.anomaly.SharedAnomalies;
import dev.pulse.server.analytics.SeriesRegistry;
import dev.pulse.server.config.Config;
import dev.pulse.server.http.Drain;
import dev.pulse.server.http.HttpMetrics;
import dev.pulse.server.http.ServerInitializer;
import dev.pulse.server.ingest.IngestCounters;
import dev.pulse.server.metrics.MetricFamilies;
import dev.pulse.server.query.AnalyzeView;
import dev.pulse.server.query.FleetView;
import dev.pulse.server.query.RemoteSnapshots;
import dev.pulse.server.query.SeriesFamilies;
import dev.pulse.server.ops.StatsView;
import dev.pulse.server.redis.RedisFamilies;
import dev.pulse.server.redis.RedisStatus;

import java.util.List;

/**
 * What every connection shares, wired together: configuration, the registry, each stage's counters and views.
 * All members are thread-safe. {@link #pipeline} builds the connections' pipeline with the {@link Routes} table.
 */
public final class Services {
    public final Config config;
    public final SeriesRegistry registry;
    public final IngestCounters counters = new IngestCounters();
    public final HttpMetrics http = new HttpMetrics();
    public final Drain drain = new Drain();
    public final RedisStatus redis;
    public final BatchListener listener;
    public final AnalyzeView analyze;
    public final FleetView fleet;
    public final StatsView stats;
    public final RemoteSnapshots remote;
    public final AnomaliesOut anomalies;
    public final SharedAnomalies sharedAnomalies; // null without Redis: /anomalies reads this replica's log

    public Services(Config config, SeriesRegistry registry, RedisStatus redis, BatchListener listener,
                    RemoteSnapshots remote) {
        this(config, registry, redis, listener, remote, new AnomaliesOut(config), null);
    }

    public Services(Config config, SeriesRegistry registry, RedisStatus redis, BatchListener listener,
                    RemoteSnapshots remote, AnomaliesOut anomalies, SharedAnomalies sharedAnomalies) {
        this.anomalies = anomalies;
        this.sharedAnomalies = sharedAnomalies;
        this.config = config;
        this.registry = registry;
        this.redis = redis;
        this.listener = listener;
        this.remote = remote;
        this.analyze = new AnalyzeView(config.windowSize(), config.zscoreThreshold());
        this.fleet = new FleetView(registry, config.windowSize(), config.zscoreThreshold(), config.analyzeCacheTtlMs(),
                remote::fleet);
        this.stats = new StatsView(counters, http, registry, redis, fleet);
    }

    /** The families of {@code /metrics}, in exposition order: each stage exports its own. */
    public List<MetricFamilies> metricFamilies() {
        return List.of(http, counters, new SeriesFamilies(registry, config.maxExportedSeries()), fleet,
                new RedisFamilies(redis), new AlertFamilies(anomalies.alerts));
    }

    /** The pipeline of every client connection, routing by the {@link Routes} table. */
    public ServerInitializer pipeline() {
        return new ServerInitializer(config, http, drain, Routes.table(this));
    }
}
